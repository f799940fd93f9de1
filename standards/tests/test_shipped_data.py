"""The shipped catalogue: complete, correctly numbered, bilingual headings (never body text),
and loaded into every database by migrate."""

import re
from collections import Counter

import pytest
import yaml

from standards.importer import area_parent_code, parse_standard, parse_technical_areas
from standards.models import Clause, Standard, TechnicalArea, clause_sort_key
from standards.shipped import DATA_DIR, SHIPPED_AREAS, SHIPPED_STANDARDS

EXPECTED = {
    # file: (code, edition, national equivalent, family, retired, clause count, per top-level clause)
    "iso9001-2015.yaml": (
        "ISO 9001",
        "2015",
        "GB/T 19001-2016",
        "QMS",
        False,
        94,
        {"4": 7, "5": 8, "6": 8, "7": 19, "8": 31, "9": 12, "10": 6},
    ),
    "iso14001-2015.yaml": (
        "ISO 14001",
        "2015",
        "GB/T 24001-2016",
        "EMS",
        False,
        48,
        {"4": 5, "5": 4, "6": 9, "7": 12, "8": 3, "9": 8, "10": 4},
    ),
    "iso45001-2018.yaml": (
        "ISO 45001",
        "2018",
        "GB/T 45001-2020",
        "OHSMS",
        False,
        59,
        {"4": 5, "5": 5, "6": 12, "7": 12, "8": 10, "9": 8, "10": 4},
    ),
    "gbt28001-2011.yaml": ("GB/T 28001", "2011", "OHSAS 18001:2007", "OHSMS", True, 31, {"4": 28}),
}

SPOT_TITLES = [
    (
        "ISO 9001",
        "8.4",
        "外部提供的过程、产品和服务的控制",
        "Control of externally provided processes, products and services",
    ),
    ("ISO 9001", "7.1.5.2", "测量溯源", "Measurement traceability"),
    ("ISO 9001", "8.4.3", "提供给外部供方的信息", "Information for external providers"),
    ("ISO 9001", "8.3", "产品和服务的设计和开发", "Design and development of products and services"),
    ("ISO 9001", "4.4", "质量管理体系及其过程", "Quality management system and its processes"),
    ("ISO 14001", "10.2", "不符合和纠正措施", "Nonconformity and corrective action"),
    ("ISO 14001", "6.1.2", "环境因素", "Environmental aspects"),
    ("ISO 45001", "8.1.4.2", "承包方", "Contractors"),
    ("ISO 45001", "5.4", "工作人员的协商和参与", "Consultation and participation of workers"),
    (
        "GB/T 28001",
        "4.3.1",
        "危险源辨识、风险评价和控制措施的确定",
        "Hazard identification, risk assessment and determining controls",
    ),
]

NUMBER_RE = re.compile(r"^[1-9]\d*(\.[1-9]\d*)*$")
SENTENCE_MARKS = ("。", "：", ". ")
REQUIREMENT_RE = re.compile(r"\b(shall|should)\b", re.I)


def _numbers(name):
    return [n for n, _zh, _en in parse_standard((DATA_DIR / name).read_bytes(), name).clauses]


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_shipped_file_has_the_expected_standard_and_clause_count(name):
    data = parse_standard((DATA_DIR / name).read_bytes(), name)
    code, edition, national, family, retired, count, per_top = EXPECTED[name]
    assert (data.code, data.edition, data.national_equivalent, data.family, data.retired) == (
        code,
        edition,
        national,
        family,
        retired,
    )
    assert len(data.clauses) == count
    tops = Counter(n.split(".")[0] for n, _zh, _en in data.clauses)
    assert {t: c for t, c in tops.items() if t not in ("1", "2", "3")} == per_top
    assert tops["1"] == tops["2"] == tops["3"] == 1, "scope, references and terms as single headings"


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_no_clause_number_appears_twice_and_every_parent_is_present(name):
    numbers = _numbers(name)
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert NUMBER_RE.match(number), number
        if "." in number:
            assert number.rsplit(".", 1)[0] in numbers, f"{number} has no parent"


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_clauses_are_listed_in_document_order(name):
    numbers = _numbers(name)
    as_tuples = [tuple(int(p) for p in n.split(".")) for n in numbers]
    assert as_tuples == sorted(as_tuples)
    assert [clause_sort_key(n) for n in numbers] == sorted(clause_sort_key(n) for n in numbers)


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_no_introduction_individual_terms_or_annexes_are_listed(name):
    numbers = _numbers(name)
    assert not [n for n in numbers if n.startswith(("0", "3.")) or n[0].isalpha()]


@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_titles_are_headings_in_both_languages_never_body_text(name):
    data = parse_standard((DATA_DIR / name).read_bytes(), name)
    for number, zh, en in data.clauses:
        for title in (zh, en):
            assert 0 < len(title) <= 120, (number, title)
            assert not any(mark in title for mark in SENTENCE_MARKS), (number, title)
            assert not title.endswith("."), (number, title)
            assert not REQUIREMENT_RE.search(title), (number, title)
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{number}: title_zh is not Chinese"
        assert not re.search(r"[\u4e00-\u9fff]", en), f"{number}: title_en is not English"


def test_iso9001_numbers_the_sub_clauses_of_8_4_correctly_not_as_the_seed_manual_misprints():
    numbers = _numbers("iso9001-2015.yaml")
    assert [n for n in numbers if n.startswith("8.4.")] == ["8.4.1", "8.4.2", "8.4.3"]
    assert not [n for n in numbers if n.startswith("8.9")]
    assert not [n for n in numbers if n.startswith("4.9")]
    assert [n for n in numbers if n.startswith("4.4")] == ["4.4", "4.4.1", "4.4.2"]


def test_shipped_files_state_the_schema_in_their_header():
    for name in SHIPPED_STANDARDS + (SHIPPED_AREAS,):
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name} has no header comment"


def test_technical_areas_file_has_the_39_iaf_sectors_in_order_and_every_code_has_its_parent():
    data = parse_technical_areas((DATA_DIR / SHIPPED_AREAS).read_bytes(), SHIPPED_AREAS)
    assert [s[0] for s in data.sectors] == [str(n) for n in range(1, 40)]
    codes = [c[0] for c in data.codes]
    known = {s[0] for s in data.sectors}
    for code in codes:
        assert area_parent_code(code) in known, code
        known.add(code)
    sector_titles = {s[0]: (s[1], s[2]) for s in data.sectors}
    assert sector_titles["33"] == ("信息技术", "Information technology")
    assert sector_titles["2"] == ("采矿业及采石业", "Mining and quarrying")
    assert "33.02.01" in codes
    provisional = {c[0] for c in data.codes if c[3]}
    assert provisional == {"33.02", "33.02.01"}, "only the seed's placeholders are unsourced"


def test_technical_areas_file_titles_are_headings():
    raw = yaml.safe_load((DATA_DIR / SHIPPED_AREAS).read_text(encoding="utf-8"))
    for row in raw["sectors"] + raw["codes"]:
        for title in (row["title_zh"], row["title_en"]):
            assert 0 < len(title) <= 120 and "。" not in title


# --- the catalogue in the database (loaded by migrate) -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHIPPED_STANDARDS)
def test_database_has_each_shipped_standard_with_its_clause_count(name):
    code, edition, national, family, retired, count, _per_top = EXPECTED[name]
    standard = Standard.objects.get(code=code, edition=edition)
    assert (standard.national_equivalent, standard.family, standard.retired) == (national, family, retired)
    assert standard.clauses.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize("code,number,title_zh,title_en", SPOT_TITLES)
def test_spot_checked_clause_titles_in_both_languages(code, number, title_zh, title_en):
    clause = Clause.objects.get(standard__code=code, number=number)
    assert (clause.title_zh, clause.title_en) == (title_zh, title_en)


@pytest.mark.django_db
def test_clauses_sort_in_document_order_in_the_database():
    numbers = list(
        Clause.objects.filter(standard__code="ISO 9001").order_by("sort_key").values_list("number", flat=True)
    )
    assert numbers.index("7.1.5.2") == numbers.index("7.1.5.1") + 1
    assert numbers.index("10.1") == numbers.index("10") + 1 > numbers.index("9.3.3")
    assert numbers.index("8.4.3") < numbers.index("8.5") == numbers.index("8.4.3") + 1
    assert numbers[0] == "1" and numbers[-1] == "10.3"


@pytest.mark.django_db
def test_every_clause_in_the_database_hangs_from_its_parent_with_its_depth():
    for clause in Clause.objects.select_related("parent"):
        if "." in clause.number:
            assert clause.parent.number == clause.number.rsplit(".", 1)[0]
            assert clause.parent.standard_id == clause.standard_id
        else:
            assert clause.parent is None
        assert clause.depth == clause.number.count(".") + 1


@pytest.mark.django_db
def test_database_has_the_technical_areas_with_parents():
    assert TechnicalArea.objects.filter(parent__isnull=True).count() == 39
    leaf = TechnicalArea.objects.get(code="33.02.01")
    assert leaf.parent.code == "33.02" and leaf.parent.parent.code == "33"
    assert leaf.sector_code == "33"
    assert TechnicalArea.objects.get(code="01.07.03").parent.parent.code == "1"
    assert TechnicalArea.objects.count() == 39 + len(
        parse_technical_areas((DATA_DIR / SHIPPED_AREAS).read_bytes()).codes
    )
