"""Synthetic manuals made here (DOCX, PDF, text): each kind of defect on its own is proposed, with
its evidence; a clean manual gives no proposals; a manual for two standards is not faulted for a third."""

import io

import pytest

from stage1.analysis import UnreadableDocument, analyse
from stage1.analysis import proposals as k
from stage1.tests.manuals import DEPARTMENTS, as_docx, as_pdf, as_text, clean_manual, replace_heading

QMS = ["ISO 9001:2015"]
QMS_EMS = ["ISO 9001:2015", "ISO 14001:2015"]
WRITERS = {"docx": as_docx, "txt": as_text}


def review(manual, fmt="docx", standards=None, departments=DEPARTMENTS):
    data = {"docx": as_docx, "txt": as_text, "pdf": as_pdf}[fmt](manual)
    return analyse(f"manual.{fmt}", data, standards or manual.standards, departments=departments)


def kinds(result):
    return {p.kind for p in result.proposals}


@pytest.mark.parametrize("fmt", ["docx", "txt", "pdf"])
def test_a_clean_manual_gives_no_proposals(fmt):
    result = review(clean_manual(QMS_EMS), fmt)
    assert result.proposals == []
    assert len(result.outline) > 80
    assert [standard for _, standard in result.matrices] == QMS_EMS


def test_a_manual_for_two_standards_is_not_faulted_for_a_third():
    manual = clean_manual(QMS_EMS)
    assert review(manual).proposals == []
    faulted = review(manual, standards=[*QMS_EMS, "ISO 45001:2018"])
    missing = {p.clause for p in faulted.proposals if p.kind == k.MISSING_CLAUSE and p.standard == "ISO 45001:2018"}
    assert "5.4" in missing  # worker consultation: the check does look at a standard under audit
    assert all(p.standard == "ISO 45001:2018" for p in faulted.proposals if p.kind == k.MISSING_CLAUSE)


def spoil_missing(manual):
    manual.headings = [(n, t) for n, t in manual.headings if n != "7.1.6"]


def spoil_wrong_parent(manual):
    for n in ("8.4.1", "8.4.2", "8.4.3"):
        replace_heading(manual, n, new_number=n.replace("8.4.", "8.9."))


def spoil_sequence(manual):
    i = next(i for i, (n, _) in enumerate(manual.headings) if n == "7.2")
    manual.headings[i], manual.headings[i + 1] = manual.headings[i + 1], manual.headings[i]


def spoil_duplicate(manual):
    i = next(i for i, (n, _) in enumerate(manual.headings) if n == "9.2")
    manual.headings.insert(i + 1, ("9.2", "内部审核"))


def spoil_title(manual):
    replace_heading(manual, "8.5", new_title="和服务提供")


def spoil_reference(manual):
    manual.preface.append("职业健康安全部分依据 GB/T 28001-2011 和 GB/T 19001-2008 的要求。")


def spoil_matrix_unassigned(manual):
    rows = manual.matrices[0][2]
    rows[[n for n, _, _ in rows].index("7.1.6")] = ("7.1.6", "组织的知识", ["○", "○", "○"])


def spoil_matrix_rows(manual):
    caption, departments, rows = manual.matrices[0]
    manual.matrices[0] = (caption, departments, [r for r in rows if r[0] != "9.3.2"])


def spoil_department(manual):
    caption, departments, rows = manual.matrices[0]
    manual.matrices[0] = (caption, [*departments, "质检部"], [(n, t, [*m, "○"]) for n, t, m in rows])


def spoil_exclusion(manual):
    manual.paragraphs["4.3"] = ["本公司不从事设计开发，删减条款8.3产品和服务的设计和开发，该条款不适用。"]


SPOILERS = {
    k.MISSING_CLAUSE: (spoil_missing, "7.1.6"),
    k.WRONG_PARENT: (spoil_wrong_parent, "8.4"),
    k.OUT_OF_SEQUENCE: (spoil_sequence, "7.2"),
    k.DUPLICATE: (spoil_duplicate, "9.2"),
    k.TITLE_DEVIATION: (spoil_title, "8.5"),
    k.OUTDATED_REFERENCE: (spoil_reference, ""),
    k.MATRIX_UNASSIGNED: (spoil_matrix_unassigned, "7.1.6"),
    k.MATRIX_MISSING_ROWS: (spoil_matrix_rows, "9.3.2"),
    k.UNKNOWN_DEPARTMENT: (spoil_department, ""),
    k.EXCLUSION: (spoil_exclusion, "8.3"),
}


@pytest.mark.parametrize("fmt", ["docx", "txt"])
@pytest.mark.parametrize("kind", sorted(SPOILERS))
def test_each_kind_of_defect_alone_is_proposed_with_its_evidence(kind, fmt):
    spoil, clause = SPOILERS[kind]
    manual = clean_manual(QMS)
    spoil(manual)
    result = review(manual, fmt)
    assert kinds(result) == {kind}, [p.text() for p in result.proposals]
    if clause:
        assert {p.clause for p in result.proposals} == {clause}
    if kind != k.MISSING_CLAUSE:
        assert all(e.line for p in result.proposals for e in p.evidence)


def test_a_missing_matrix_row_alone_names_the_clause():
    manual = clean_manual(QMS)
    caption, departments, rows = manual.matrices[0]
    manual.matrices[0] = (caption, departments, [r for r in rows if r[0] != "9.3.2"])
    (proposal,) = review(manual).proposals
    assert proposal.params["missing"] == "9.3.2"


def test_the_outdated_references_name_the_withdrawn_standard_and_the_wrong_edition():
    manual = clean_manual(QMS)
    spoil_reference(manual)
    found = {p.params["found"]: p for p in review(manual).proposals}
    assert set(found) == {"GB/T 28001-2011", "GB/T 19001-2008"}
    assert "45001" in found["GB/T 28001-2011"].params["should_be"]
    assert found["GB/T 19001-2008"].params["should_be"] == "GB/T 19001-2016"


@pytest.mark.parametrize("spoil", [spoil_wrong_parent, spoil_title, spoil_matrix_unassigned])
def test_a_pdf_manual_is_read_with_pages(spoil):
    manual = clean_manual(QMS)
    spoil(manual)
    result = review(manual, "pdf")
    assert len(result.proposals) == 1
    assert result.proposals[0].evidence[-1].page >= 1
    assert result.pages >= 2


def test_headings_in_full_width_chinese_numbering_and_split_across_lines_are_read():
    text = "\n".join(
        [
            "第四章 组织环境",
            "４．１　理解组织及其环境",
            "4.2",
            "理解相关方的需求和期望",
            "4.3 确定质量/环境管理体系的范围",
            "Clause 4.4 Quality management system and its processes",
        ]
    )
    result = analyse("m.txt", text.encode(), QMS)
    assert [(h.number, h.title) for h in result.outline] == [
        ("4", "组织环境"),
        ("4.1", "理解组织及其环境"),
        ("4.2", "理解相关方的需求和期望"),
        ("4.3", "确定质量/环境管理体系的范围"),
        ("4.4", "Quality management system and its processes"),
    ]
    assert not [p for p in result.proposals if p.kind == k.TITLE_DEVIATION]


# --- what cannot be read ------------------------------------------------------------------------


def test_an_encrypted_pdf_is_refused_with_a_clear_message():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(clean_manual(QMS)))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableDocument) as refused:
        analyse("m.pdf", out.getvalue(), QMS)
    assert refused.value.code == "encrypted" and "password" in refused.value.message


def test_a_scanned_pdf_without_text_is_refused():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF")
    with pytest.raises(UnreadableDocument) as refused:
        analyse("scan.pdf", out.getvalue(), QMS)
    assert refused.value.code == "no_text"


def test_a_corrupt_docx_is_refused():
    data = as_docx(clean_manual(QMS))
    with pytest.raises(UnreadableDocument) as refused:
        analyse("m.docx", data[: len(data) // 2], QMS)
    assert refused.value.code == "corrupt_docx"
