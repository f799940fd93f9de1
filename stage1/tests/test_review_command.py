"""manage.py review_documents: the same analysis on a file, for scripts; no client or audit needed."""

import json

import pytest
from django.core.management import CommandError, call_command

from stage1.tests.manuals import as_docx, clean_manual, replace_heading


@pytest.fixture
def spoiled_docx(tmp_path):
    manual = clean_manual(["ISO 9001:2015"])
    replace_heading(manual, "8.5", new_title="和服务提供")
    path = tmp_path / "manual.docx"
    path.write_bytes(as_docx(manual))
    return path


@pytest.mark.django_db
def test_the_command_prints_the_proposals_as_json(spoiled_docx, capsys):
    call_command("review_documents", str(spoiled_docx), "--standard", "ISO 9001:2015", "--json")
    review = json.loads(capsys.readouterr().out)
    (proposal,) = review["proposals"]
    assert proposal["kind"] == "title_deviation" and proposal["clause"] == "8.5"
    assert proposal["evidence"][0]["line"] > 0 and "和服务提供" in proposal["evidence"][0]["text"]
    assert review["standards"] == ["ISO 9001:2015"]


@pytest.mark.django_db
def test_the_command_prints_one_line_per_proposal_with_its_evidence(spoiled_docx, capsys):
    call_command("review_documents", str(spoiled_docx), "--standard", "GB/T 19001-2016")
    out = capsys.readouterr().out
    assert "1 proposals" in out and "ISO 9001:2015 8.5" in out and "evidence: l." in out


@pytest.mark.django_db
def test_an_unknown_standard_or_unreadable_file_is_an_error(spoiled_docx, tmp_path):
    with pytest.raises(CommandError, match="Unknown standard"):
        call_command("review_documents", str(spoiled_docx), "--standard", "ISO 99999:2015")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError, match="cannot be opened"):
        call_command("review_documents", str(broken), "--standard", "ISO 9001:2015")
