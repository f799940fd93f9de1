"""The layout checker the PDF tests use (core/tests/pdf_layout.py), on pages built by hand and on
a real render."""

from core.pdf import render_pdf
from core.tests.pdf_layout import (
    MM,
    Line,
    Page,
    Piece,
    Word,
    _ends_with_heading,
    css_margins,
    layout_problems,
    page_problems,
)

A4 = (595.0, 841.0)


def page(pieces=(), words=()):
    return Page(number=3, width=A4[0], height=A4[1], pieces=list(pieces), words=list(words))


def line(top, text, *, bold=False, left=57.0):
    return Piece(top=top, left=left, width=200, height=14, text=text, bold=bold)


def test_the_margins_are_those_of_the_print_stylesheet():
    margins = css_margins()
    assert (
        round(margins.top / MM),
        round(margins.right / MM),
        round(margins.bottom / MM),
        round(margins.left / MM),
    ) == (
        24,
        18,
        20,
        20,
    )


def test_a_word_beyond_the_right_or_left_margin_is_reported():
    margins = css_margins()
    inside = Word(left=300, right=544.0, text="20269-2006")
    beyond = Word(left=558, right=598, text="missing")
    left = Word(left=40, right=80, text="early")
    problems = page_problems(page(words=[inside, beyond, left]), margins)
    assert len(problems) == 2 and "'missing'" in problems[0] and "'early'" in problems[1]
    assert page_problems(page(words=[inside]), margins) == []


def test_a_page_ending_with_a_heading_or_its_continuation_lines_is_reported():
    margins = css_margins()  # the text box ends at 842 - 56.7 = 785 pt
    text = [line(700, "body text"), line(716, "more body text")]
    assert page_problems(page(text), margins) == []
    heading = [*text, line(740, "3. Quality policy", bold=True)]
    assert "ends with a heading" in page_problems(page(heading), margins)[0]
    # The hint of a topic's title continues it at the title's own line pitch …
    hint = [*heading, line(756, "(Suitability of the policy …)")]
    assert "ends with a heading" in page_problems(page(hint), margins)[0]
    # … while the text after a heading keeps a margin.
    answered = [*heading, line(759, "质量方针：科学设计")]
    assert page_problems(page(answered), margins) == []
    # The running footer, in the bottom margin, is not body text.
    footer = [*text, Piece(top=794, left=276, width=50, height=12, text="Page 3 of 9", bold=True)]
    assert page_problems(page(footer), margins) == []


def test_a_heading_with_room_for_its_blank_box_below_is_not_stranded():
    """十七 left blank for the committee's handwriting: the heading is the page's last text, with
    its blank box (14 mm) below it on the same page."""
    margins = css_margins()
    heading = [line(600, "body text"), line(640, "十七、其他说明 (技术委员会填写)", bold=True)]
    assert page_problems(page(heading), margins) == []
    at_the_foot = [line(600, "body text"), line(750, "十七、其他说明 (技术委员会填写)", bold=True)]
    assert "ends with a heading" in page_problems(page(at_the_foot), margins)[0]


def test_a_table_header_row_at_the_foot_of_a_page_is_reported():
    row = [Piece(top=700, left=57 + 100 * n, width=60, height=13, text=f"col {n}", bold=True) for n in range(3)]
    assert _ends_with_heading(
        [Line(top=680, height=14, pieces=[line(680, "text")]), Line(top=700, height=13, pieces=row)]
    )


def test_on_a_real_render_clean_pages_pass():
    """The engine's test document (two pages of a team table and findings) is clean."""
    rows = [("朱晓丽", "组长", "负责质量管理体系审核") for _ in range(40)]
    result = render_pdf(
        template_name="reports/pdf/_engine_test.html",
        context={"cb_name": "CB", "document_number": "N-1", "document_title": "T", "client_name": "C", "rows": rows},
        language="zh-hans",
        draft=False,
    )
    assert result.pages >= 2
    assert layout_problems(result.pdf) == []
