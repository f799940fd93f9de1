"""The seed client manual (an integrated QMS + EMS + OH&S manual): the review proposes the defects
the project keeps for it in ``auditbody/seed_data/client_manual.yaml`` — from the document alone."""

import os
import re
from pathlib import Path

import pytest
import yaml

from stage1.analysis import analyse
from stage1.analysis import proposals as k

ROOT = Path(__file__).resolve().parents[2]


def _seed_manual():
    """The seed manual where the project's seed tests look for it (``SEEDS_DIR``, ``seeds/`` next
    to the project, the workspace's ``shared/seeds``); the seed texts are not in the repository."""
    for folder in (
        os.environ.get("SEEDS_DIR"),
        ROOT / "seeds",
        ROOT.parent / "shared" / "seeds",
        ROOT.parent.parent / "shared" / "seeds",
    ):
        if folder and (Path(folder) / "004_8e83bf0cffd30d51.txt").is_file():
            return Path(folder) / "004_8e83bf0cffd30d51.txt"
    return None


SEED = _seed_manual()
DEFECTS = ROOT / "auditbody" / "seed_data" / "client_manual.yaml"
AUDITED = ["ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"]
NUMBER = re.compile(r"\d+(?:\.\d+)+")

# The recorded defects the analyser is expected to find, with the kind of proposal that finds each.
# The others (wording slips such as 知道 for 指导, text copied from other companies, duplicated
# department names) need a reader, not an outline.
FOUND_BY = {
    "D01": k.WRONG_PARENT,  # 8.9.x under 8.4
    "D02": k.WRONG_PARENT,  # 4.9.x under 4.4
    "D03": k.WRONG_PARENT,  # GB/T 28001 matrix, 4.9.x under 4.4
    "D04": k.TITLE_DEVIATION,  # "8.5和服务提供"
    "D05": k.OUT_OF_SEQUENCE,  # 6.1.5 skipped
    "D06": k.TITLE_DEVIATION,  # 8.2 B-应急准备和相应
    "D08": k.OUTDATED_REFERENCE,  # GB/T 28001-2011
    "D09": k.OUTDATED_REFERENCE,  # GB/T 24001-2004
    "D14": k.DUPLICATE,  # 0.6 twice
    "D24": k.TITLE_DEVIATION,  # 10 持续改进
    "D25": k.MATRIX_UNASSIGNED,  # EMS matrix 6.1.4 without a responsible department
}


@pytest.fixture(scope="module")
def review():
    if SEED is None:
        pytest.skip("the seed manual is not on this machine")
    return analyse(SEED.name, SEED.read_bytes(), AUDITED)


@pytest.fixture(scope="module")
def defects():
    return {d["id"]: d for d in yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))["defects"]}


def numbers_of(proposal):
    text = " ".join([proposal.clause, *proposal.params.values(), *(e.text for e in proposal.evidence)])
    return set(NUMBER.findall(text)) | {proposal.clause}


def defect_numbers(defect):
    listed = {part.strip() for part in str(defect.get("clause") or "").split(",")}
    return set(NUMBER.findall(" ".join(str(defect.get(f) or "") for f in ("clause", "found_zh")))) | listed


@pytest.mark.parametrize("defect_id", sorted(FOUND_BY))
def test_the_seed_manuals_recorded_defect_is_proposed(review, defects, defect_id):
    defect = defects[defect_id]
    kind = FOUND_BY[defect_id]
    candidates = [p for p in review.proposals if p.kind == kind]
    if kind == k.OUTDATED_REFERENCE:
        cited = {"D08": "GB/T 28001-2011", "D09": "GB/T 24001-2004"}[defect_id]
        assert cited in defect["found_zh"].replace("GB/T28001", "GB/T 28001").replace("GB/T24001", "GB/T 24001")
        assert any(p.params["found"] == cited for p in candidates)
        return
    wanted = defect_numbers(defect)
    matching = [p for p in candidates if numbers_of(p) & wanted]
    assert matching, (
        f"{defect_id} ({defect['issue_en']}) not proposed; {kind} proposals: {[p.text() for p in candidates]}"
    )
    assert all(p.evidence for p in matching), "every proposal names its evidence"


def test_the_8_4_proposal_names_the_expected_numbers_and_both_places(review):
    found = [p for p in review.proposals if p.kind == k.WRONG_PARENT and p.clause == "8.4"]
    assert {p.evidence[0].where for p in found} == {"body", "matrix"}
    for proposal in found:
        assert proposal.params["found"] == "8.9.1, 8.9.2, 8.9.3"
        assert proposal.params["expected"] == "8.4.1, 8.4.2, 8.4.3"
        assert proposal.standard == "ISO 9001:2015"


def test_the_8_5_title_is_shown_beside_the_clause_title_with_its_line(review):
    (proposal,) = [
        p
        for p in review.proposals
        if p.kind == k.TITLE_DEVIATION and p.clause == "8.5" and p.evidence[0].where == "body"
    ]
    assert proposal.params["found"] == "和服务提供"
    assert "生产和服务提供" in proposal.params["expected"]
    assert proposal.evidence[0].line == 1712


def test_the_matrices_are_read_with_their_departments_and_standards(review):
    matrices = {standard: m for m, standard in review.matrices}
    assert set(matrices) == {"ISO 9001:2015", "ISO 14001:2015", "GB/T 28001:2011"}
    assert matrices["ISO 9001:2015"].departments == ["总经理", "管代", "综合部", "技术部"]
    assert matrices["ISO 14001:2015"].departments == ["管理层", "综合部", "技术部"]
    row = next(r for r in matrices["GB/T 28001:2011"].rows if r.number == "4.9.1")
    assert row.marks == {"综合部": "●"}
    assert any(p.kind == k.MATRIX_MISSING_STANDARD and p.standard == "ISO 45001:2018" for p in review.proposals)


def test_departments_named_in_a_matrix_are_checked_against_the_client_record(review):
    review = analyse(SEED.name, SEED.read_bytes(), AUDITED, departments=["管理层", "综合部", "技术部"])
    unknown = {p.params["found"] for p in review.proposals if p.kind == k.UNKNOWN_DEPARTMENT}
    assert unknown == {"总经理", "管代"}


def test_the_analyser_knows_nothing_of_the_recorded_defects():
    source = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "stage1" / "analysis").glob("*.py"))
    assert "client_manual" not in source and "seed_data" not in source
