import pytest

from standards.models import TechnicalArea, clause_sort_key, code_covers


@pytest.mark.parametrize(
    "earlier,later",
    [
        ("7.1.5.1", "7.1.5.2"),
        ("9.3", "10.1"),
        ("8.4.3", "8.5"),
        ("8", "8.1"),
        ("10.3", "A"),
        ("A.5", "A.10"),
        ("2", "10"),
    ],
)
def test_clause_sort_key_gives_document_order(earlier, later):
    assert clause_sort_key(earlier) < clause_sort_key(later)


@pytest.mark.parametrize(
    "competence,required,covered",
    [
        ("33.02.01", "33.02.01", True),
        ("33.02", "33.02.01", True),
        ("33", "33.02.01", True),
        ("33.01", "33.02.01", False),
        ("33.02.01", "33.02", False),
        ("3", "33.02.01", False),
        ("1", "01.07.03", True),
        ("01.07", "01.07.03", True),
        ("01.07", "01.06.01", False),
    ],
)
def test_code_covers(competence, required, covered):
    assert code_covers(competence, required) is covered
    assert TechnicalArea(code=competence).covers(TechnicalArea(code=required)) is covered


def test_sector_code_and_level_of_a_zero_padded_national_code():
    area = TechnicalArea(code="01.07.03")
    assert (area.sector_code, area.level) == ("1", 3)
