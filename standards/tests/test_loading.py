"""The shipped catalogue is in every database, idempotently."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standards.models import CatalogueImport, Clause, Standard, TechnicalArea
from standards.services import catalogue_load_shipped, standard_import
from standards.shipped import DATA_DIR

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Standard.objects.order_by("pk").values_list()),
        list(Clause.objects.order_by("pk").values_list()),
        list(TechnicalArea.objects.order_by("pk").values_list()),
        CatalogueImport.objects.count(),
    )


def test_migrate_has_loaded_the_shipped_catalogue_and_recorded_it():
    keys = set(CatalogueImport.objects.filter(source="shipped").values_list("key", flat=True))
    assert keys == {"ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "GB/T 28001:2011", "technical_areas"}


def test_loading_the_shipped_catalogue_again_changes_nothing():
    before = state()
    with CaptureQueriesContext(connection) as captured:
        assert catalogue_load_shipped() == []
    # Three reads; the savepoint of the service's transaction is not a query of its own.
    assert len([q for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]) <= 3
    assert state() == before


def test_a_shipped_standard_that_went_missing_is_loaded_again():
    # (GB/T 28001: the other shipped standards are referenced by other apps' shipped data.)
    Standard.objects.get(code="GB/T 28001").delete()
    [result] = catalogue_load_shipped()
    assert result.key == "GB/T 28001:2011" and len(result.created) == 31
    assert Standard.objects.get(code="GB/T 28001").clauses.count() == 31


def test_a_changed_shipped_file_is_applied_again_in_place():
    # As if an upgrade shipped a corrected file: the recorded digest no longer matches.
    CatalogueImport.objects.filter(key="ISO 9001:2015", source="shipped").update(sha256="0" * 64)
    Clause.objects.filter(standard__code="ISO 9001", number="8.4").update(title_en="Wrong title")
    ids = set(Clause.objects.filter(standard__code="ISO 9001").values_list("pk", flat=True))
    [result] = catalogue_load_shipped()
    assert result.updated == ["8.4"]
    assert set(Clause.objects.filter(standard__code="ISO 9001").values_list("pk", flat=True)) == ids
    assert catalogue_load_shipped() == []


def test_a_cbs_own_reimport_of_a_shipped_standard_is_kept():
    text = (DATA_DIR / "iso9001-2015.yaml").read_text(encoding="utf-8").replace('"测量溯源"', '"测量的溯源"')
    standard_import(files=[("ours.yaml", text.encode())], by="admin")
    assert catalogue_load_shipped() == []
    assert Clause.objects.get(standard__code="ISO 9001", number="7.1.5.2").title_zh == "测量的溯源"


def test_seed_demo_step_is_idempotent():
    from io import StringIO

    from standards import demo

    before = state()
    out = StringIO()
    demo.seed(out)
    assert state() == before
    assert "up to date" in out.getvalue()


def test_flush_then_post_migrate_brings_the_catalogue_back(transactional_db):
    call_command("flush", interactive=False, verbosity=0)
    assert Standard.objects.count() == 4 and Clause.objects.count() == 232
    assert TechnicalArea.objects.filter(code="33.02.01").exists()
