"""The shipped default template: the seed report's 19 parts, every option, every topic."""

import pytest
import yaml
from django.db import IntegrityError, transaction

from reports.models import FieldType, ReportTemplate, TemplateField, TemplatePart, TemplateTopic, chinese_numeral
from reports.template_loader import DEFAULT_TEMPLATE_PATH, load_report_template
from standards.models import Clause

SEED_PART_TITLES = [
    "审核方基本信息",
    "审核目的",
    "审核准则",
    "受审核方基本信息",
    "审核活动综述",
    "审核发现及审核证据说明",
    "本次审核不符合项",
    "已识别出的任何未解决的问题",
    "是否达到审核目的",
    "审核结论",
    "审核基于对可获得信息的抽样过程的免责声明",
    "不符合项纠正措施要求",
    "任何影响审核方案的重要事项",
    "审核组签字",
    "纠正措施验证结论",
    "认证评定与批准",
    "与末次会议结论不同处的说明和其他说明",
    "审核报告的发放范围",
    "附件",
]

YAML = yaml.safe_load(DEFAULT_TEMPLATE_PATH.read_text(encoding="utf-8"))


def test_chinese_numerals_of_the_parts():
    assert [chinese_numeral(n) for n in (1, 6, 10, 11, 15, 19, 20)] == [
        "一",
        "六",
        "十",
        "十一",
        "十五",
        "十九",
        "二十",
    ]


def test_default_template_has_the_seed_reports_19_parts_in_order(report_template):
    parts = list(report_template.parts.filter(number__gte=1))
    assert [p.number for p in parts] == list(range(1, 20))
    assert [p.title_zh for p in parts] == SEED_PART_TITLES
    assert [p.numeral for p in parts][:3] == ["一", "二", "三"] and parts[-1].numeral == "十九"
    assert all(p.title_en for p in parts)
    # The cover is kept apart from the numbered parts.
    assert report_template.parts.get(number=0).key == "cover"


def test_part_ten_offers_all_eight_recommendations_of_the_seed(report_template):
    field = TemplateField.objects.get(part__template=report_template, part__number=10, key="recommendation")
    assert field.type == FieldType.CHOICE
    assert [o.label_zh for o in field.options.all()] == [
        "推荐认证注册",
        "在完成纠正措施后推荐认证注册",
        "推荐保持认证注册",
        "在完成纠正措施后推荐保持认证注册",
        "推荐扩大范围",
        "在完成纠正措施后推荐扩大范围",
        "延期推荐注册",
        "不推荐认证注册",
    ]


def _yaml_choice_fields():
    for part in YAML["parts"]:
        for field in part["fields"]:
            if field.get("options"):
                yield part["key"], None, field
        for topic in part["topics"]:
            for field in topic.get("fields") or []:
                if field.get("options"):
                    yield part["key"], topic["key"], field


@pytest.mark.parametrize(
    "part_key,topic_key,field", list(_yaml_choice_fields()), ids=lambda v: v["key"] if isinstance(v, dict) else str(v)
)
def test_every_choice_keeps_all_its_options_in_order(report_template, part_key, topic_key, field):
    db_field = TemplateField.objects.get(
        part__template=report_template, part__key=part_key, topic__key=topic_key, key=field["key"]
    )
    assert db_field.type == field["type"]
    assert [(o.key, o.label_zh, o.label_en) for o in db_field.options.all()] == [
        (str(o["key"]), o["label_zh"], o["label_en"]) for o in field["options"]
    ]


def test_seed_choices_are_fields_with_fixed_options(report_template):
    """Audit purpose, plan executed/changed/not completed, reliability factors, objective met,
    scope suitable/changed: each a choice field with the seed's options."""
    expected = {
        ("audit_purpose", "purpose"): ["stage2", "recertification", "restoration"],
        ("audit_activities", "plan_completion"): ["completed", "changed_no_impact", "not_completed"],
        ("unresolved_issues", "reliability_factors"): [
            "insufficient_sample",
            "intellectual_property",
            "insufficient_time_or_resources",
        ],
        ("objectives_achieved", "objectives_achieved"): ["achieved", "not_achieved"],
        ("audit_conclusion", "scope_suitability"): ["suitable", "changed"],
    }
    for (part_key, field_key), keys in expected.items():
        field = TemplateField.objects.get(part__template=report_template, part__key=part_key, topic=None, key=field_key)
        assert field.is_choice
        assert list(field.options.values_list("key", flat=True)) == keys


def test_findings_topics_of_part_six_are_grouped_one_to_five(report_template):
    part = report_template.parts.get(number=6)
    groups = list(part.groups.all())
    assert [g.title_zh for g in groups] == [
        "(一)策划的充分与合理性",
        "(二)资源评价",
        "(三)体系运行情况",
        "(四)监视测量方面",
        "(五)持续改进",
    ]
    assert [g.topics.count() for g in groups] == [10, 7, 11, 9, 5]
    first = list(groups[0].topics.values_list("key", flat=True))
    assert first[:3] == ["context_of_organization", "interested_parties", "policy"]
    assert list(groups[4].topics.values_list("title_zh", flat=True))[0] == "纠正/预防措施的实施及效果"
    assert TemplateTopic.objects.filter(part__template=report_template).count() == 43


@pytest.mark.parametrize(
    "key,families",
    [
        ("environmental_aspects", ["EMS"]),
        ("ohs_hazards", ["OHSMS"]),
        ("significant_aspects_control", ["EMS"]),
        ("unacceptable_risk_control", ["OHSMS"]),
        ("emergency_preparedness", ["EMS", "OHSMS"]),
        ("emissions_monitoring", ["EMS"]),
        ("ohs_authority_inspections", ["OHSMS"]),
        ("context_of_organization", ["QMS", "EMS", "OHSMS"]),
        ("risks_and_opportunities", ["QMS"]),
    ],
)
def test_topics_carry_the_families_they_apply_to(report_template, key, families):
    topic = TemplateTopic.objects.get(part__template=report_template, key=key)
    assert topic.families == families
    # A QMS-only audit prints 不适用 for the EMS/OHSMS topics.
    assert topic.applies_to(["QMS"]) == ("QMS" in families)


@pytest.mark.parametrize(
    "key,expected",
    [
        ("context_of_organization", {("ISO 9001", "4.1"), ("ISO 14001", "4.1"), ("ISO 45001", "4.1")}),
        (
            "legal_requirements",
            {("ISO 9001", "5.1.2"), ("ISO 9001", "8.2.2"), ("ISO 14001", "6.1.3"), ("ISO 45001", "6.1.3")},
        ),
        ("environmental_aspects", {("ISO 14001", "6.1.1"), ("ISO 14001", "6.1.2"), ("ISO 14001", "6.1.4")}),
        ("communication", {("ISO 9001", "7.4"), ("ISO 14001", "7.4"), ("ISO 45001", "5.4"), ("ISO 45001", "7.4")}),
        ("stage1_issues_followup", set()),
    ],
)
def test_topic_clause_links_resolve_per_family(report_template, key, expected):
    topic = TemplateTopic.objects.get(part__template=report_template, key=key)
    assert {(c.standard.code, c.number) for c in topic.clauses.select_related("standard")} == expected


def test_every_clause_reference_of_the_yaml_resolves(report_template):
    result = load_report_template()
    assert result.unresolved == []
    wanted = sum(
        len(numbers) for part in YAML["parts"] for t in part["topics"] for numbers in (t.get("clauses") or {}).values()
    )
    assert Clause.objects.filter(report_topics__part__template=report_template).count() == wanted


def test_loading_twice_changes_nothing(report_template):
    counts = [m.objects.count() for m in (TemplatePart, TemplateTopic, TemplateField)]
    result = load_report_template()
    assert not result.changed
    assert [m.objects.count() for m in (TemplatePart, TemplateTopic, TemplateField)] == counts
    # The default and the stage 1 report's template (shipped by the migrations).
    assert ReportTemplate.objects.filter(is_default=True).count() == 1
    assert ReportTemplate.objects.count() == 2


def test_loader_keeps_the_cbs_edits_and_reset_restores_the_shipped_text(report_template):
    topic = TemplateTopic.objects.get(part__template=report_template, key="policy")
    topic.title_en = "Policy (our wording)"
    topic.save()
    topic.clauses.remove(*topic.clauses.filter(standard__code="ISO 14001"))
    topic.clauses.add(Clause.objects.get(standard__code="ISO 14001", number="5.1"))

    load_report_template()
    topic.refresh_from_db()
    assert topic.title_en == "Policy (our wording)"
    assert set(topic.clauses.filter(standard__code="ISO 14001").values_list("number", flat=True)) == {"5.1"}

    result = load_report_template(reset=True)
    topic.refresh_from_db()
    assert result.updated.get("TemplateTopic") == 1
    assert topic.title_en == "Quality / environmental / OH&S policy"
    assert set(topic.clauses.filter(standard__code="ISO 14001").values_list("number", flat=True)) == {"5.2"}


def test_loader_run_before_the_standards_completes_the_links_when_run_again(db):
    ReportTemplate.objects.all().delete()
    from standards.models import Standard

    Standard.objects.filter(code__in=["ISO 9001", "ISO 14001", "ISO 45001"]).delete()
    first = load_report_template()
    assert first.unresolved and first.links_added == 0

    from .factories import ensure_shipped_standards

    ensure_shipped_standards()
    second = load_report_template()
    assert second.unresolved == []
    topic = TemplateTopic.objects.get(key="context_of_organization")
    assert topic.clauses.count() == 3


def test_only_one_template_is_the_default(report_template):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportTemplate.objects.create(key="other", title_zh="其他", title_en="Other", is_default=True)


def test_facts_are_rendered_from_a_source_never_typed(report_template):
    facts = TemplateField.objects.filter(part__template=report_template, type=FieldType.FACT, topic=None)
    # Every fact of the numbered parts comes from the database, except the printed blanks of 十八/十九 tables.
    assert facts.exists()
    assert all(f.source for f in facts if f.part.number not in (0,)), [f.key for f in facts if not f.source]


def test_only_the_team_parts_must_be_filled_before_submission(report_template):
    later = dict(report_template.parts.exclude(stage="report").values_list("number", "stage"))
    assert later == {15: "verification", 16: "committee", 17: "committee"}
