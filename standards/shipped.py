"""The catalogue shipped with auditbody (standards/data/*.yaml) and how it gets into a database.

It is loaded twice over, both idempotent:

* by the data migration ``0003_load_shipped_catalogue``, so a fresh ``migrate`` has the
  catalogue at a fixed point of the migration graph (other apps' data migrations that link to
  clauses can depend on it);
* after every ``migrate`` and ``flush`` (``post_migrate``, see ``apps.py``), which applies a
  shipped file again only when the file changed since it was last applied (its SHA-256 is in
  ``CatalogueImport``) or when its standard is missing. So an upgrade that corrects a shipped
  title reaches existing databases, a database emptied by ``flush`` (browser tests) gets the
  catalogue back, and running it again changes nothing.

A standard a CB imported itself is never touched; a shipped standard the CB re-imported with
its own changes keeps them until a later release changes that shipped file.
"""

from functools import lru_cache
from pathlib import Path

from .importer import (
    apply_standard,
    apply_technical_areas,
    historical_models,
    parse_standard,
    parse_technical_areas,
    real_models,
    sha256_of,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_STANDARDS = ("iso9001-2015.yaml", "iso14001-2015.yaml", "iso45001-2018.yaml", "gbt28001-2011.yaml")
SHIPPED_AREAS = "technical_areas.yaml"
SOURCE = "shipped"


@lru_cache(maxsize=16)
def _parsed(name, digest):
    raw = (DATA_DIR / name).read_bytes()
    if name == SHIPPED_AREAS:
        return parse_technical_areas(raw, name)
    return parse_standard(raw, name)


def shipped_file(name):
    """The parsed shipped file (cached while the file is unchanged)."""
    return _parsed(name, sha256_of((DATA_DIR / name).read_bytes()))


def load_shipped_catalogue(*, apps=None, by="", force=False):
    """Apply the shipped files that are new or changed; returns the ImportResults of those applied."""
    m = historical_models(apps) if apps is not None else real_models()
    applied = {}
    for key, digest in (
        m.CatalogueImport.objects.filter(source=SOURCE).order_by("imported_at", "id").values_list("key", "sha256")
    ):
        applied[key] = digest  # the latest shipped load of each entry wins
    present = set(m.Standard.objects.values_list("code", "edition"))
    results = []
    for name in SHIPPED_STANDARDS:
        data = shipped_file(name)
        if force or applied.get(data.key) != data.sha256 or (data.code, data.edition) not in present:
            results.append(apply_standard(data, source=SOURCE, file_name=name, by=by, m=m))
    areas = shipped_file(SHIPPED_AREAS)
    if force or applied.get("technical_areas") != areas.sha256 or not m.TechnicalArea.objects.exists():
        results.append(apply_technical_areas(areas, source=SOURCE, file_name=SHIPPED_AREAS, by=by, m=m))
    return results


def load_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate receiver: keep the shipped catalogue present and current."""
    if using != "default":
        return
    try:
        historical_models(apps) if apps is not None else None
    except LookupError:  # migrated back below the models the loader needs
        return
    load_shipped_catalogue(apps=apps)
