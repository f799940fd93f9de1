"""Writing parsed data to the database in one transaction (also with the historical models of a
data migration)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from .. import models
from ..models import clause_sort_key
from .data import AreaData, ImportRefused, StandardData, area_parent_code, parent_number

# --- applying ------------------------------------------------------------------------------------


def real_models():
    return SimpleNamespace(
        Standard=models.Standard,
        Clause=models.Clause,
        TechnicalArea=models.TechnicalArea,
        CatalogueImport=models.CatalogueImport,
    )


def historical_models(apps):
    get = apps.get_model
    return SimpleNamespace(
        Standard=get("standards", "Standard"),
        Clause=get("standards", "Clause"),
        TechnicalArea=get("standards", "TechnicalArea"),
        CatalogueImport=get("standards", "CatalogueImport"),
    )


@dataclass
class ImportResult:
    key: str
    kind: str = "standard"
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    header_changed: bool = False
    standard_id: int | None = None

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted or self.header_changed)

    def summary(self):
        label = _("technical-area codes") if self.kind == "technical_areas" else self.key
        return _("%(key)s: %(created)d created, %(updated)d updated, %(deleted)d deleted") % {
            "key": label,
            "created": len(self.created),
            "updated": len(self.updated),
            "deleted": len(self.deleted),
        } + (" " + _("(standard details changed)") if self.header_changed else "")


def _log(m, *, kind, key, data, source, file_name, by, result):
    m.CatalogueImport.objects.create(
        kind=kind,
        key=key[:60],
        source=source,
        file_name=(file_name or "")[:255],
        sha256=data.sha256,
        imported_by=(by or "")[:150],
        created=len(result.created),
        updated=len(result.updated),
        deleted=len(result.deleted),
    )


def _refuse_deleting_referenced(m, clauses):
    """Raise ImportRefused naming the clauses that other records still point at, by a foreign key
    or by a many-to-many link (a plan's clauses, a template topic's clauses: standards/protection.py)."""
    from standards.models import Clause
    from standards.protection import uses_of

    blocked = []
    for clause in clauses:
        uses: dict[str, int] = {}
        try:
            Collector(using="default").collect([clause])
        except (ProtectedError, RestrictedError) as exc:
            objs = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
            for o in objs:
                name = str(o._meta.verbose_name_plural)
                uses[name] = uses.get(name, 0) + 1
        if m.Clause is Clause:  # links too (not in a migration's state models)
            for name, count in uses_of(clause).items():
                uses.setdefault(name, count)
        if uses:
            blocked.append(
                _("%(number)s (used by %(count)d: %(what)s)")
                % {"number": clause.number, "count": sum(uses.values()), "what": ", ".join(sorted(uses))}
            )
    if not blocked:
        return
    raise ImportRefused(
        _(
            "The file leaves out clauses that records still refer to, so they cannot be deleted: %(clauses)s. "
            "Keep them in the file, or change those records first."
        )
        % {"clauses": "; ".join(blocked)},
        code="clause_in_use",
    )


def apply_standard(data: StandardData, *, source, file_name="", by="", m=None) -> ImportResult:
    """Create or update the standard and its clauses from ``data``, in one transaction:
    the standard is found by (code, edition), each clause by its number. Clauses the file no
    longer has are deleted, unless a record refers to one, in which case nothing is changed."""
    m = m or real_models()
    result = ImportResult(key=data.key)
    with transaction.atomic():
        header = {
            "national_equivalent": data.national_equivalent,
            "title_zh": data.title_zh,
            "title_en": data.title_en,
            "family": data.family,
            "retired": data.retired,
        }
        standard = m.Standard.objects.select_for_update().filter(code=data.code, edition=data.edition).first()
        if standard is None:
            standard = m.Standard.objects.create(code=data.code, edition=data.edition, **header)
            result.header_changed = True
        else:
            changed = [k for k, v in header.items() if getattr(standard, k) != v]
            if changed:
                for k in changed:
                    setattr(standard, k, header[k])
                standard.save(update_fields=changed)
                result.header_changed = True
        result.standard_id = standard.pk

        existing = {c.number: c for c in m.Clause.objects.filter(standard=standard)}
        wanted = {number: (zh, en) for number, zh, en in data.clauses}

        gone = [c for number, c in existing.items() if number not in wanted]
        if gone:
            _refuse_deleting_referenced(m, gone)
            m.Clause.objects.filter(pk__in=[c.pk for c in gone]).delete()
            result.deleted = sorted((c.number for c in gone), key=clause_sort_key)
            for c in gone:
                del existing[c.number]
        kept = dict(existing)

        # New clauses level by level, so each one's parent already has an id.
        new = [n for n, _zh, _en in data.clauses if n not in kept]
        by_depth = {}
        for number in new:
            by_depth.setdefault(number.count(".") + 1, []).append(number)
        for depth in sorted(by_depth):
            objs = [
                m.Clause(
                    standard=standard,
                    number=number,
                    title_zh=wanted[number][0],
                    title_en=wanted[number][1],
                    parent=existing.get(parent_number(number)) if parent_number(number) else None,
                    sort_key=clause_sort_key(number),
                    depth=depth,
                )
                for number in by_depth[depth]
            ]
            m.Clause.objects.bulk_create(objs)
            if any(o.pk is None for o in objs):  # databases that do not return ids
                existing = {c.number: c for c in m.Clause.objects.filter(standard=standard)}
            else:
                existing.update({o.number: o for o in objs})

        # Clauses kept: titles from the file, parent from the number.
        to_update = []
        for number, clause in kept.items():
            zh, en = wanted[number]
            parent = existing.get(parent_number(number)) if parent_number(number) else None
            parent_id = parent.pk if parent else None
            if (clause.title_zh, clause.title_en, clause.parent_id) != (zh, en, parent_id):
                clause.title_zh, clause.title_en, clause.parent_id = zh, en, parent_id
                to_update.append(clause)
        if to_update:
            m.Clause.objects.bulk_update(to_update, ["title_zh", "title_en", "parent"])
            result.updated = sorted((c.number for c in to_update), key=clause_sort_key)
        result.created = new
        _log(m, kind="standard", key=data.key, data=data, source=source, file_name=file_name, by=by, result=result)
    return result


def apply_technical_areas(data: AreaData, *, source, file_name="", by="", m=None) -> ImportResult:
    """Create or update each sector and code (found by its code); codes not in the file are kept."""
    m = m or real_models()
    result = ImportResult(key="technical_areas", kind="technical_areas")
    with transaction.atomic():
        existing = {a.code: a for a in m.TechnicalArea.objects.all()}
        for code, zh, en, provisional in list(data.sectors) + list(data.codes):
            parent_code = area_parent_code(code)
            parent = existing.get(parent_code) if parent_code else None
            if parent_code and parent is None:  # checked by the parser; a concurrent delete
                raise ImportRefused(
                    _("The parent %(parent)s of %(code)s no longer exists.") % {"parent": parent_code, "code": code}
                )
            area = existing.get(code)
            values = {
                "title_zh": zh,
                "title_en": en,
                "provisional": provisional,
                "parent_id": parent.pk if parent else None,
            }
            if area is None:
                area = m.TechnicalArea(code=code, sort_key=clause_sort_key(code), **values)
                area.save()
                existing[code] = area
                result.created.append(code)
            else:
                changed = [k for k, v in values.items() if getattr(area, k) != v]
                if changed:
                    for k in changed:
                        setattr(area, k, values[k])
                    area.save(update_fields=[k.removesuffix("_id") for k in changed])
                    result.updated.append(code)
        _log(
            m,
            kind="technical_areas",
            key="technical_areas",
            data=data,
            source=source,
            file_name=file_name,
            by=by,
            result=result,
        )
    return result
