"""The seed demo's PDF read line by line against the seed report
(/work/shared/seeds/000_767b5abe43fc581f.txt): what a CB's report reviewer would send back.

Each test reads the rendered PDF's text (pdftotext) of the seed demo (``seed_demo``'s steps, one
seed per module inside a transaction rolled back at the end).
"""

import itertools
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import transaction

from auditbody.tests.seed_run import seed_quietly
from reports.tests.version_factories import SEED_CLIENT, body_text, pdftotext, squash
from reports.versions.render import load_report, render_report

NUMBER = "CB-Q-2020-0001"
CB_NAME = "北京国标联合认证有限公司"
SEED_AUDIT = yaml.safe_load(
    (Path(settings.BASE_DIR) / "auditbody" / "seed_data" / "seed_audit.yaml").read_text(encoding="utf-8")
)
SEED_NC = SEED_AUDIT["nonconformities"][0]
# Marked so that pytest-django sets the test database up when this module runs alone (the module's
# fixture seeds it; the tests only read the PDFs).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker):
    from reports.models import Report

    with django_db_blocker.unblock(), transaction.atomic():
        seed_quietly()
        report = load_report(Report.objects.get(audit__client__name_zh=SEED_CLIENT, audit__audit_type="stage_2").pk)
        renders = {
            language: render_report(
                report=report, language=language, number=NUMBER, draft=False, issue=1, version_label=label
            ).result.pdf
            for language, label in (("zh-hans", "第1版"), ("en", "Issue 1"))
        }
        transaction.set_rollback(True)
    return renders


def _without_running_lines(text):
    """The running header's number and the footer's data hash, wherever pdftotext puts them."""
    return re.sub(r"数据[0-9a-f]{12}|Data[0-9a-f]{12}", "", text).replace(NUMBER, "")


@pytest.fixture(scope="module")
def zh(pdfs):
    return _without_running_lines(body_text(pdfs["zh-hans"], running=[CB_NAME, "第1版"]))


@pytest.fixture(scope="module")
def zh_lines(pdfs):
    """The Chinese PDF's text lines (a table cell's line is one line)."""
    return [line.strip() for line in pdftotext(pdfs["zh-hans"]).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def en(pdfs):
    return _without_running_lines(body_text(pdfs["en"], running=["Beijing Guobiao", "Issue 1"]))


def between(text, start, end=None):
    begin = text.find(squash(start))
    assert begin != -1, start
    stop = text.find(squash(end), begin + 1) if end else len(text)
    return text[begin : stop if stop != -1 else len(text)]


# --- attachment 2, the NC report, and part 七 ---------------------------------------------------


def test_the_nc_report_prints_every_field_of_the_record_with_the_response_and_the_verification(zh):
    attachment = between(zh, "附件2")
    response = SEED_NC["response"]
    expected = [
        "ISO 9001:2015 7.5.3",
        "综合部",
        SEED_NC["requirement"],
        SEED_NC["statement"],
        SEED_NC["evidence"],
        "一般不符合",
        response["root_cause"],
        response["correction"],
        response["corrective_action"],
        response["verification_note"],
        "朱晓丽",  # who verified
    ]
    # (A long value wraps beside its label, whose lines the extracted text interleaves: the value's
    # beginning is looked for.)
    missing = [text for text in expected if squash(text)[:14] not in attachment]
    assert not missing, missing
    for label in ("原因分析", "纠正", "纠正措施", "验证人", "验证日期", "验证方式", "验证结论"):
        assert label in attachment, label


def test_part_seven_prints_the_department_and_clause_of_the_nonconformities(zh):
    part = between(zh, "七、本次审核不符合项", "八、")
    assert "__" not in part
    assert "分布在综合部7.5.3条款" in part
    assert "综合部部门" not in part


# --- 六(一)4 laws and regulations; 六(一)5 order ----------------------------------------------------


def test_laws_and_regulations_keep_their_words_and_print_each_number_once(zh):
    topic = between(zh, "4.法律法规及其他要求", "5.目标、方案")
    # (A wrapped line's boxes may come out of order in the extracted text: each run is looked for.)
    assert "(1)获取法律法规项，☑法律法规获取充分" in topic and "☐法律法规获取有遗漏，缺少" in topic
    assert "(2)结合公司的☑产品/服务" in topic and "☐环境因素☐危险源，☑确定☐未确定法律法规要求的具体条款" in topic
    for number in ("(1)", "(2)", "(3)", "(4)"):
        assert topic.count(number) == 1, (number, topic)


def test_qms_processes_print_the_process_list_first_as_the_seed_does(zh):
    topic = between(zh, "5.QMS过程", "6.EMS环境因素")
    assert topic.find("质量管理体系过程有") < topic.find("其中关键过程有")


# --- part 四 ---------------------------------------------------------------------------------------


def test_part_four_prints_the_recertification_rows_and_the_system_area_as_the_seed(zh):
    part = between(zh, "四、受审核方基本信息", "五、审核活动综述")
    # (A form's label and value cells interleave in the extracted text: each is looked for alone.)
    assert "上次审核时间" in part
    assert "体系区域" in part
    assert "总部以外分公司（分场所）名称、地址（附多场所清单）：无" in part
    assert "所有项目部（临时场所）名称、地址（可附项目清单）：无" in part
    assert "上次审核后发生的影响客户管理体系的重要变" in part and "不适用" in part


def test_part_four_prints_the_headcount_with_its_unit_and_the_operating_address_label_once(zh):
    part = between(zh, "四、受审核方基本信息", "五、审核活动综述")
    assert "组织人数15人" in part
    assert part.count("经营地址") == 1 and "经营地址1" in part


# --- 不适用 / 不涉及 / 无 --------------------------------------------------------------------------


def test_not_involved_and_none_are_printed_as_the_seed_says_not_replaced_by_not_applicable(zh):
    assert "环保设施不涉及" in zh and "职业健康安全设施不涉及" in zh
    assert "11.对危险化学品销售、使用、储存、运输处置，规定的执行力度(必要时)无" in zh
    # The seed leaves (四)5–8 and (五)5 blank: they print blank, not 不适用.
    monitoring = between(zh, "5.EMS是否按规定对主要污染物", "9.其他能够")
    assert "不适用" not in monitoring
    assert "5.上次不符合的整改情况（再认证填写）七、" in zh


# --- part 一, 三, 十 --------------------------------------------------------------------------------


def test_part_one_prints_the_role_as_the_seed(zh):
    part = between(zh, "一、审核方基本信息", "二、审核目的")
    assert "组长" in part and "审核组长" not in part


def test_part_three_prints_the_blank_exclusions_after_gb50430(zh):
    assert "☐GB/T50430-2017标准不适用条款：" in zh


def test_part_ten_prints_the_scope_change_lines(zh):
    part = between(zh, "2.对审核范围适宜性结论", "3.审核组推荐意见")
    assert "☐审核范围变更QMS:EMS:OHSMS:" in part


# --- layout: words broken in narrow cells ------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["中食互联（北京）科技有限公司", "申请的产品/|服务认证范围", "产品名称/|服务名称", "存在问题说明及意见"]
)
def test_names_do_not_break_mid_word_in_narrow_cells(zh_lines, word):
    """No line ends inside a part of the word (between the allowed breaks "|") with the rest of it
    starting the next line ("有限公" / "司")."""
    broken = [
        (line, following)
        for segment in word.split("|")
        for line, following in itertools.pairwise(zh_lines)
        for k in range(1, len(segment))
        if line.endswith(segment[:k]) and following.startswith(segment[k:])
    ]
    assert not broken, broken


def test_part_eight_heading_is_on_the_page_of_its_table(pdfs):
    pages = pdftotext(pdfs["zh-hans"]).split("\f")
    heading = next(n for n, page in enumerate(pages) if "八、已识别出的任何未解决的问题" in page)
    assert "样本量不足" in pages[heading]


def test_english_approval_signature_is_on_the_page_of_its_boxes(pdfs):
    pages = pdftotext(pdfs["en"]).split("\f")
    boxes = next(n for n, page in enumerate(pages) if "2. Approval" in page)
    assert "Approved by" in pages[boxes]  # the label wraps in its cell: its first words
