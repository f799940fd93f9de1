import pytest
from django.core.management import CommandError, call_command

from standards.models import Standard, TechnicalArea
from standards.tests.test_importer import GOOD

pytestmark = pytest.mark.django_db


def test_export_standard_then_import_standard_round_trips(tmp_path, capsys, english):
    out = tmp_path / "iso9001.yaml"
    call_command("export_standard", "ISO 9001:2015", out=str(out))
    assert out.read_text(encoding="utf-8").count("- number:") == 94
    call_command("import_standard", str(out))
    assert "ISO 9001:2015: 0 created, 0 updated, 0 deleted" in capsys.readouterr().out


def test_export_standard_writes_json_to_stdout(capsys):
    call_command("export_standard", "ISO 45001:2018", format="json")
    assert '"number": "8.1.4.2"' in capsys.readouterr().out


def test_export_standard_refuses_an_unknown_standard():
    with pytest.raises(CommandError, match="no standard ISO 27001:2022"):
        call_command("export_standard", "ISO 27001:2022")
    with pytest.raises(CommandError, match="CODE:EDITION"):
        call_command("export_standard", "ISO 9001")


def test_import_standard_adds_a_new_standard(tmp_path, capsys, english):
    path = tmp_path / "iso50001.yaml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_standard", str(path))
    assert Standard.objects.get(code="ISO 50001").clauses.count() == 4
    assert "4 created" in capsys.readouterr().out


def test_import_standard_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "iso50001.yaml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_standard", str(path), dry_run=True)
    assert not Standard.objects.filter(code="ISO 50001").exists()
    assert "(dry run)" in capsys.readouterr().out


def test_import_standard_refuses_a_broken_file_with_line_and_reason(tmp_path, english):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace('number: "4.2"', 'number: "4.1"').replace("ISO 50001", "ISO 50002"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_standard", str(good), str(bad))
    assert f"{bad}: line 19: clause 4.1 appears twice" in str(caught.value)
    assert not Standard.objects.filter(code__in=["ISO 50001", "ISO 50002"]).exists()


def test_technical_areas_commands_round_trip(tmp_path, capsys, english):
    out = tmp_path / "areas.yaml"
    call_command("export_technical_areas", out=str(out))
    call_command("import_technical_areas", str(out))
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert TechnicalArea.objects.filter(code="33.02.01", provisional=True).exists()
