"""Importing and exporting standards and technical areas as data files."""

import pytest
from django.apps import apps
from django.db import connection, models

from standards import services
from standards.importer import (
    DataFileError,
    ImportRefused,
    dump_standard,
    export_standard,
    parse_standard,
)
from standards.models import CatalogueImport, Clause, Standard, TechnicalArea
from standards.shipped import DATA_DIR, SHIPPED_STANDARDS

pytestmark = pytest.mark.django_db

GOOD = """\
standard:
  code: "ISO 50001"
  edition: "2018"
  national_equivalent: "GB/T 23331-2020"
  title_zh: "能源管理体系 要求及使用指南"
  title_en: "Energy management systems — Requirements with guidance for use"
  family: ENMS
  retired: false
clauses:
  - number: "1"
    title_zh: "范围"
    title_en: "Scope"
  - number: "4"
    title_zh: "组织环境"
    title_en: "Context of the organization"
  - number: "4.1"
    title_zh: "理解组织及其环境"
    title_en: "Understanding the organization and its context"
  - number: "4.2"
    title_zh: "理解相关方的需求和期望"
    title_en: "Understanding the needs and expectations of interested parties"
"""


def snapshot():
    return (
        list(Standard.objects.order_by("pk").values_list()),
        list(Clause.objects.order_by("pk").values_list()),
        list(TechnicalArea.objects.order_by("pk").values_list()),
        CatalogueImport.objects.count(),
    )


def import_text(text, name="file.yaml"):
    return services.standard_import(files=[(name, text.encode("utf-8"))], by="tester")


# --- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_export_then_import_round_trips_exactly(name):
    shipped = parse_standard((DATA_DIR / name).read_bytes(), name)
    standard = Standard.objects.get(code=shipped.code, edition=shipped.edition)
    exported = export_standard(standard)
    assert parse_standard(exported).as_dict() == shipped.as_dict()

    before = snapshot()[:3]
    [result] = import_text(exported, f"{name}.export.yaml")
    assert not result.changed
    assert snapshot()[:3] == before
    assert export_standard(standard) == exported  # byte for byte


def test_export_round_trips_into_a_new_standard_byte_for_byte():
    # (ISO 9001 itself cannot be deleted here: other apps' shipped data refers to it.)
    exported = export_standard(Standard.objects.get(code="ISO 9001")).replace("ISO 9001", "ISO 9001-COPY")
    [result] = import_text(exported)
    assert len(result.created) == 94
    assert export_standard(Standard.objects.get(code="ISO 9001-COPY")) == exported


def test_json_export_round_trips_too():
    standard = Standard.objects.get(code="ISO 45001")
    as_json = export_standard(standard, "json")
    assert parse_standard(as_json, "x.json").as_dict() == parse_standard(export_standard(standard)).as_dict()
    [result] = services.standard_import(files=[("iso45001.json", as_json.encode())])
    assert not result.changed


def test_quotes_backslashes_and_symbols_survive_the_round_trip():
    text = GOOD.replace('"Scope"', '"Scope \\"quoted\\" back\\\\slash — α ☑ #1: yes"')
    import_text(text)
    standard = Standard.objects.get(code="ISO 50001")
    assert standard.clauses.get(number="1").title_en == 'Scope "quoted" back\\slash — α ☑ #1: yes'
    exported = export_standard(standard)
    standard.delete()
    import_text(exported)
    assert export_standard(Standard.objects.get(code="ISO 50001")) == exported


# --- a CB adds and updates a standard ------------------------------------------------------------


def test_a_new_standard_is_created_with_its_clause_tree():
    [result] = import_text(GOOD)
    standard = Standard.objects.get(code="ISO 50001", edition="2018")
    assert result.created == ["1", "4", "4.1", "4.2"]
    assert standard.family == "ENMS" and standard.national_equivalent == "GB/T 23331-2020"
    clause = standard.clauses.get(number="4.2")
    assert clause.parent.number == "4" and clause.depth == 2 and clause.sort_key == "00004.00002"
    log = CatalogueImport.objects.latest("imported_at", "id")
    assert (log.key, log.source, log.imported_by, log.created) == ("ISO 50001:2018", "command", "tester", 4)


def test_reimport_updates_titles_in_place_without_duplicates():
    import_text(GOOD)
    standard = Standard.objects.get(code="ISO 50001")
    ids = dict(standard.clauses.values_list("number", "pk"))
    [result] = import_text(
        GOOD.replace('"理解组织及其环境"', '"理解组织及其所处环境"').replace("Scope", "Scope and field")
    )
    assert result.updated == ["1", "4.1"] and not result.created and not result.deleted
    assert Standard.objects.filter(code="ISO 50001").count() == 1
    assert dict(standard.clauses.values_list("number", "pk")) == ids
    assert standard.clauses.get(number="4.1").title_zh == "理解组织及其所处环境"


def test_reimport_changes_the_standard_details_in_place():
    import_text(GOOD)
    pk = Standard.objects.get(code="ISO 50001").pk
    [result] = import_text(GOOD.replace("retired: false", "retired: true"))
    assert result.header_changed and not result.created
    assert Standard.objects.get(pk=pk).retired


def test_reimport_adds_new_clauses_under_existing_parents_and_removes_dropped_ones():
    import_text(GOOD)
    text = GOOD.replace(
        '  - number: "4.2"\n    title_zh: "理解相关方的需求和期望"\n    title_en: "Understanding the needs and expectations of interested parties"\n',
        '  - number: "4.1.1"\n    title_zh: "总则"\n    title_en: "General"\n',
    )
    [result] = import_text(text)
    assert result.created == ["4.1.1"] and result.deleted == ["4.2"]
    standard = Standard.objects.get(code="ISO 50001")
    assert sorted(standard.clauses.values_list("number", flat=True)) == ["1", "4", "4.1", "4.1.1"]
    assert standard.clauses.get(number="4.1.1").parent == standard.clauses.get(number="4.1")


def test_reimport_mends_parent_links_of_clauses_created_out_of_order():
    import_text(GOOD)
    standard = Standard.objects.get(code="ISO 50001")
    Clause.objects.filter(standard=standard, number="4.1").update(parent=None)
    [result] = import_text(GOOD)
    assert result.updated == ["4.1"]
    assert standard.clauses.get(number="4.1").parent.number == "4"


# --- broken files change nothing and say why -------------------------------------------------------

BROKEN = [
    # (description, text, line, code)
    ("bad YAML", GOOD.replace('    title_en: "Scope"', '    title_en: "Scope'), 13, "syntax"),
    (
        "missing title",
        GOOD.replace('    title_en: "Understanding the organization and its context"\n', ""),
        16,
        "missing_key",
    ),
    ("empty title", GOOD.replace('"Context of the organization"', '""'), 15, "empty"),
    ("duplicate number", GOOD.replace('number: "4.2"', 'number: "4.1"'), 19, "duplicate_number"),
    ("orphan parent", GOOD.replace('number: "4.2"', 'number: "5.2"'), 19, "orphan"),
    ("unknown key", GOOD.replace("  retired: false\n", "  retired: false\n  colour: red\n"), 9, "unknown_key"),
    (
        "unknown clause key",
        GOOD.replace('    title_en: "Scope"\n', '    title_en: "Scope"\n    text: "body"\n'),
        13,
        "unknown_key",
    ),
    ("out of order", GOOD.replace('number: "1"', 'number: "5"'), 13, "order"),
    ("bad number", GOOD.replace('number: "4.2"', 'number: "4.b"'), 19, "bad_number"),
    ("bad family", GOOD.replace("family: ENMS", "family: energy"), 7, "bad_family"),
    ("retired not a boolean", GOOD.replace("retired: false", "retired: maybe"), 8, "not_bool"),
    ("clauses not a list", GOOD.split("clauses:")[0] + "clauses:\n  number: 1\n", 10, "not_list"),
    ("no standard", "clauses: []\n", 1, "missing_key"),
    ("duplicate key", GOOD.replace("  family: ENMS\n", "  family: ENMS\n  family: QMS\n"), 8, "duplicate_key"),
    ("title too long", GOOD.replace('"Scope"', '"' + "S" * 201 + '"'), 12, "too_long"),
    ("line break in title", GOOD.replace('"Scope"', '"Scope\\nmore"'), 12, "control_char"),
    ("empty file", "", 1, "empty"),
]


@pytest.mark.parametrize("text,line,code", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_file_changes_nothing_and_says_the_line_and_reason(english, text, line, code):
    import_text(GOOD)  # the standard exists: a broken re-import must not touch it
    before = snapshot()
    with pytest.raises(DataFileError) as caught:
        import_text(text, "broken.yaml")
    assert snapshot() == before
    problems = caught.value.problems
    assert (problems[0].line, problems[0].code) == (line, code), problems
    assert caught.value.messages[0].startswith(f"broken.yaml: line {line}: ")


def test_every_problem_of_a_file_is_reported_not_just_the_first(english):
    text = GOOD.replace('number: "4.2"', 'number: "4.1"').replace(
        "  retired: false\n", "  retired: false\n  colour: red\n"
    )
    with pytest.raises(DataFileError) as caught:
        import_text(text)
    assert [p.code for p in caught.value.problems] == ["unknown_key", "duplicate_number"]
    assert "“colour”" in caught.value.messages[0] and "appears twice" in caught.value.messages[1]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(english):
    raw = GOOD.encode("utf-8").replace("范围".encode(), "范围".encode("gb18030"))
    with pytest.raises(DataFileError) as caught:
        services.standard_import(files=[("gbk.yaml", raw)])
    assert caught.value.problems[0].line == 11 and "UTF-8" in caught.value.messages[0]


def test_broken_json_is_refused_with_its_line(english):
    with pytest.raises(DataFileError) as caught:
        services.standard_import(files=[("x.json", b'{\n  "standard": {},\n  "clauses": [,]\n}')])
    assert caught.value.problems[0].line == 3 and "JSON" in caught.value.messages[0]


def test_one_broken_file_among_several_imports_none_of_them(english):
    before = snapshot()
    with pytest.raises(DataFileError) as caught:
        services.standard_import(files=[("good.yaml", GOOD.encode()), ("bad.yaml", b"standard: [\n")])
    assert snapshot() == before
    assert caught.value.problems[0].file == "bad.yaml"


def test_a_technical_areas_file_given_as_a_standard_is_refused(english):
    with pytest.raises(DataFileError, match="technical-areas file"):
        services.standard_import(files=[("ta.yaml", (DATA_DIR / "technical_areas.yaml").read_bytes())])


def test_unquoted_numbers_keep_their_written_form():
    text = GOOD.replace('number: "4.1"', "number: 4.10").replace('number: "4.2"', "number: 4.11")
    import_text(text)
    numbers = set(Standard.objects.get(code="ISO 50001").clauses.values_list("number", flat=True))
    assert {"4.10", "4.11"} <= numbers


def test_annex_clauses_sort_after_the_numbered_ones():
    text = (
        GOOD
        + '  - number: "A"\n    title_zh: "附录A"\n    title_en: "Annex A"\n  - number: "A.5"\n    title_zh: "组织控制"\n    title_en: "Organizational controls"\n'
    )
    import_text(text)
    numbers = list(Standard.objects.get(code="ISO 50001").clauses.order_by("sort_key").values_list("number", flat=True))
    assert numbers[-2:] == ["A", "A.5"]


# --- clauses in use -----------------------------------------------------------------------------


@pytest.fixture
def clause_citation_model(transactional_db):
    """A model of another app that refers to clauses with PROTECT, as findings and NCs will."""

    class ClauseCitation(models.Model):
        clause = models.ForeignKey("standards.Clause", on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "standards"
            verbose_name_plural = "test citations"

    with connection.schema_editor() as editor:
        editor.create_model(ClauseCitation)
    yield ClauseCitation
    with connection.schema_editor() as editor:
        editor.delete_model(ClauseCitation)
    del apps.all_models["standards"]["clausecitation"]
    apps.clear_cache()


def test_a_clause_records_refer_to_is_not_deleted_and_nothing_is_changed(clause_citation_model, english):
    import_text(GOOD)
    standard = Standard.objects.get(code="ISO 50001")
    clause_citation_model.objects.create(clause=standard.clauses.get(number="4.2"))
    before = snapshot()
    dropped = GOOD.split('  - number: "4.2"')[0].replace('"Scope"', '"Scope changed"')
    with pytest.raises(ImportRefused) as caught:
        import_text(dropped)
    assert snapshot() == before
    assert "4.2 (used by 1: test citations)" in caught.value.messages[0]


def test_a_clause_nobody_refers_to_is_deleted_even_when_others_are_cited(clause_citation_model):
    import_text(GOOD)
    standard = Standard.objects.get(code="ISO 50001")
    clause_citation_model.objects.create(clause=standard.clauses.get(number="4.1"))
    [result] = import_text(GOOD.split('  - number: "4.2"')[0])
    assert result.deleted == ["4.2"]


# --- technical areas ------------------------------------------------------------------------------

AREAS = """\
codes:
  - {code: "19.01", title_zh: "电子元器件", title_en: "Electronic components"}
  - {code: "19.01.01", title_zh: "电子元件", title_en: "Electronic parts", provisional: true}
"""


def import_areas(text, name="areas.yaml"):
    return services.technical_areas_import(name=name, raw=text.encode("utf-8"), by="tester")


def test_technical_area_codes_are_added_below_existing_sectors():
    result = import_areas(AREAS)
    assert result.created == ["19.01", "19.01.01"]
    leaf = TechnicalArea.objects.get(code="19.01.01")
    assert leaf.parent.code == "19.01" and leaf.parent.parent.code == "19" and leaf.provisional


def test_technical_area_reimport_updates_in_place_and_keeps_codes_not_in_the_file():
    import_areas(AREAS)
    pk = TechnicalArea.objects.get(code="19.01.01").pk
    count = TechnicalArea.objects.count()
    result = import_areas(
        AREAS.replace(
            '"电子元件", title_en: "Electronic parts", provisional: true',
            '"电子元件制造", title_en: "Electronic parts"',
        )
    )
    assert result.updated == ["19.01.01"] and not result.created
    area = TechnicalArea.objects.get(pk=pk)
    assert (area.title_zh, area.provisional) == ("电子元件制造", False)
    assert TechnicalArea.objects.count() == count
    assert TechnicalArea.objects.filter(code="33.02.01").exists()


def test_a_technical_area_without_its_parent_is_refused_with_its_line(english):
    before = snapshot()
    with pytest.raises(DataFileError) as caught:
        import_areas('codes:\n  - {code: "19.07.01", title_zh: "x", title_en: "x"}\n')
    assert snapshot() == before
    assert (caught.value.problems[0].line, caught.value.problems[0].code) == (2, "orphan")
    assert "19.07" in caught.value.messages[0]


@pytest.mark.parametrize(
    "text,line,code",
    [
        ('codes:\n  - {code: "19.1", title_zh: "x", title_en: "x"}\n', 2, "bad_code"),
        ('sectors:\n  - {code: "40", title_zh: "x"}\n', 2, "missing_key"),
        (
            'codes:\n  - {code: "19.01", title_zh: "x", title_en: "x"}\n  - {code: "19.01", title_zh: "y", title_en: "y"}\n',
            3,
            "duplicate_code",
        ),
        ("rows: []\n", 1, "unknown_key"),
    ],
)
def test_broken_technical_areas_files_change_nothing(english, text, line, code):
    before = snapshot()
    with pytest.raises(DataFileError) as caught:
        import_areas(text)
    assert snapshot() == before
    assert (caught.value.problems[0].line, caught.value.problems[0].code) == (line, code)


def test_technical_areas_export_then_import_round_trips_exactly():
    from standards.importer import area_data_from_db, dump_technical_areas, parse_technical_areas

    import_areas(AREAS)
    exported = dump_technical_areas(area_data_from_db(TechnicalArea.objects.all()))
    before = snapshot()[:3]
    result = import_areas(exported)
    assert not result.changed and snapshot()[:3] == before
    assert dump_technical_areas(area_data_from_db(TechnicalArea.objects.all())) == exported
    assert parse_technical_areas(exported).as_dict()["codes"][-1] == {
        "code": "33.02.01",
        "title_zh": "基础软件服务",
        "title_en": "Basic software services",
        "provisional": True,
    }


def test_dump_writes_the_documented_layout():
    text = dump_standard(parse_standard(GOOD))
    assert '  family: "ENMS"\n  retired: false\nclauses:\n  - number: "1"\n' in text
    assert '    title_en: "Scope"\n\n  - number: "4"\n' in text  # a blank line before each top-level clause
