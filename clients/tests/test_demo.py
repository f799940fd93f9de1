"""The demo clients carry the seed's own values."""

import datetime
import io

import pytest

from clients import demo
from clients.models import Client, Responsibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    out = io.StringIO()
    demo.seed(out)
    return out.getvalue()


def test_seed_client_has_every_part_four_value(seeded):
    c = Client.objects.get(name_zh="中食互联（北京）科技有限公司")
    assert c.headcount == 15
    assert (c.legal_representative, c.top_management, c.ms_contact) == ("段进生", "段进生", "付微")
    assert (c.contact_name, c.contact_phone, c.fax) == ("吴瑶", "15711433118", "")
    assert c.system_implemented_on == datetime.date(2019, 5, 20)
    assert c.last_audit_on is None and c.integrated_audit is False
    assert c.changes_since_last_audit == "不适用"
    assert set(c.sites.values_list("kind", "address_zh", "is_central")) == {
        ("registered", "北京市房山区良乡凯旋大街建设路18号-D5689", False),
        ("operating", "北京市朝阳区东土城路8号林达大厦A座14E", True),
    }
    assert [a.code for a in c.technical_areas.all()] == ["33.02.01"]
    scope = c.scopes.get()
    assert (scope.standard.code, scope.standard.edition, scope.scope_zh) == ("ISO 9001", "2015", "基础软件服务")
    assert list(c.departments.values_list("name_zh", flat=True)) == ["管理层", "综合部", "技术部"]


def test_seed_client_matrix_follows_part_five_functions(seeded):
    owners = dict(
        Responsibility.objects.filter(
            department__client__name_zh="中食互联（北京）科技有限公司", role="owner"
        ).values_list("clause__number", "department__name_zh")
    )
    assert owners["9.3"] == "管理层"  # 管理评审
    assert owners["9.2"] == "综合部"  # 内审
    assert owners["8.4.1"] == "综合部"  # 外部供方控制
    assert owners["8.3.2"] == "技术部"  # 设计开发
    assert owners["10.2"] == "技术部"  # 不符合及纠正措施
    assert owners["7.1.5.1"] == "技术部"  # 监视测量设备
    # Exactly one responsible department on every row of 4-10 below the headings.
    from collections import Counter

    counts = Counter(
        Responsibility.objects.filter(
            department__client__name_zh="中食互联（北京）科技有限公司", role="owner"
        ).values_list("clause__number", flat=True)
    )
    assert set(counts.values()) == {1}


def test_manual_client_has_its_matrix_with_the_manuals_numbering_corrected(seeded):
    c = Client.objects.get(name_zh="易科智控科技（北京）有限公司")
    assert c.integrated_audit and c.top_management == "李伟" and c.ms_contact == "刘芳"
    assert sorted(s.standard.family for s in c.scopes.select_related("standard")) == ["EMS", "OHSMS", "QMS"]
    cells = set(
        Responsibility.objects.filter(department__client=c).values_list(
            "clause__standard__code", "clause__number", "department__name_zh", "role"
        )
    )
    assert ("ISO 9001", "8.4.1", "综合部", "owner") in cells  # printed 8.9.1 in the manual
    assert ("ISO 9001", "5.1.1", "管理层", "owner") in cells  # 管代 ● (persons 总经理/管代 → 管理层)
    assert ("ISO 9001", "7.1.5", "技术部", "owner") in cells
    assert ("GB/T 28001", "4.4.1", "综合部", "owner") in cells  # printed 4.9.1
    assert "WARNING" not in seeded


def test_demo_twice_changes_nothing(seeded):
    from django.apps import apps

    models = [m for m in apps.get_models() if m._meta.app_label == "clients"]
    before = {m._meta.label: m.objects.count() for m in models}
    versions = dict(Client.objects.values_list("name_zh", "version"))
    demo.seed(io.StringIO())
    assert {m._meta.label: m.objects.count() for m in models} == before
    assert dict(Client.objects.values_list("name_zh", "version")) == versions


def test_demo_without_standards_warns_instead_of_crashing(monkeypatch):
    monkeypatch.setattr(demo, "find_standard", lambda label: None)
    out = io.StringIO()
    demo.seed(out)
    assert "WARNING: standard ISO 9001:2015 is not loaded" in out.getvalue()
    assert Client.objects.get(name_zh="中食互联（北京）科技有限公司").headcount == 15
