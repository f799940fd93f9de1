"""The seed report as PDF: the demo audit (seed_demo) rendered in Chinese and in English.

One seed and a few renders per module (inside a transaction rolled back at the end); every
render uses ``strict_glyphs=True``, so a character printed without a real glyph (WeasyPrint's
".notdef"/glyph warnings) fails the render.
"""

import re

import pypdf
import pytest
from django.db import transaction

from auditbody.tests.seed_run import seed_quietly
from core.pdf import PdfGlyphError
from reports.tests.version_factories import SEED_CLIENT, body_text, page_texts, pdftotext, squash
from reports.versions.render import build_print_document, load_report, render_report

NUMBER = "CB-Q-2020-0001"
CB_NAME = "北京国标联合认证有限公司"

HEADINGS_ZH = [
    "一、审核方基本信息",
    "二、审核目的",
    "三、审核准则",
    "四、受审核方基本信息",
    "五、审核活动综述",
    "六、审核发现及审核证据说明",
    "七、本次审核不符合项",
    "八、已识别出的任何未解决的问题",
    "九、是否达到审核目的",
    "十、审核结论",
    "十一、审核基于对可获得信息的抽样过程的免责声明",
    "十二、不符合项纠正措施要求",
    "十三、任何影响审核方案的重要事项",
    "十四、审核组签字",
    "十五、纠正措施验证结论",
    "十六、认证评定与批准",
    "十七、与末次会议结论不同处的说明和其他说明",
    "十八、审核报告的发放范围",
    "十九、附件",
]
HEADINGS_EN = [
    "1. Certification body information",
    "2. Audit objectives",
    "3. Audit criteria",
    "4. Auditee information",
    "5. Summary of audit activities",
    "6. Audit findings and audit evidence",
    "7. Nonconformities raised at this audit",
    "8. Unresolved issues identified",
    "9. Were the audit objectives achieved?",
    "10. Audit conclusion",
    "11. Disclaimer — the audit is based on sampling of the available information",
    "12. Requirements for corrective action on nonconformities",
    "13. Significant matters affecting the audit programme",
    "14. Audit team signatures",
    "15. Verification of corrective actions",
    "16. Certification review and approval",
    "17. Differences from the closing-meeting conclusion and other remarks",
    "18. Distribution of the audit report",
    "19. Attachments",
]
# The seed's own sentences, part by part (/work/shared/seeds/000_767b5abe43fc581f.txt).
SEED_SENTENCES = {
    "一": [
        "审核方地址北京市朝阳区北苑路168号1号楼16层1603",
        "010-51095332",
        "010-5351 6258",
        "朱晓丽",
        "2018-N1QMS-2205805",
        "33.02.01",
    ],
    "二": ["第二阶段审核", "评价组织管理体系建立、实施运行的符合性及有效性，以确定是否推荐认证注册。"],
    "三": ["GB/T19001:2016idtISO9001:2015标准", "不适用条款：无条款", "受审核方管理体系文件", "适用的法律法规"],
    "四": [
        "北京市房山区良乡凯旋大街建设路18号-D5689",
        "北京市朝阳区东土城路8号林达大厦A座14E",
        "段进生",
        "QMS:基础软件服务",
    ],
    "五": [
        "本次审核活动按审核计划执行（见附件1）。",
        "负责内审的实施；负责人力资源管理；组织知识管理；",
        "已完成审核计划的全部工作",
    ],
    "六": [
        "组织环境识别充分，符合要求。",
        "质量方针：科学设计，诚信服务，确保顾客满意；以人为本，持续改进，促进公司发展。",
        "企业每一个客户建立一个微信群，客户相关人员及对应服务的技术人员均在群中",
        "内审时间：2019年10月15日，依据策划的要求实施了审核。",
        "评审结论：管理体系运行稳定、适宜。",
    ],
    "七": ["本次审核共开具不符合项报告", "分布见附件。（Q/J/E/S分开填写）"],
    "八": ["可能影响本次审核结论可靠性的因素", "样本量不足", "知识产权保护", "因受审核方信息造成的日数或审核资源不足"],
    "九": ["达到审核目的", "未达到审核目的，未达到目的的原因是"],
    "十": [
        "1.☑QMS/☐EMS/☐OHSMS的适宜性、充分性、运行有效性，自我完善机制等。",
        "☑QMS/☐EMS/☐OHSMS持续的符合性及运行的有效性",
        "审核范围适宜，与申请范围一致",
        "☑在完成纠正措施后推荐认证注册(☑QMS☐EMS☐OHSMS)",
        "☐推荐认证注册(☐QMS☐EMS☐OHSMS)",
        "不推荐或缩小推荐范围的说明",
    ],
    "十一": [
        "本次审核是基于抽样检查的原则，因此，不可能包含受审核方管理体系覆盖的所有场所、以及体系所涉及的全部活动。仍可能有未发现的不符合项存在于目前管理体系的运行中。"
    ],
    "十二": ["针对不符合原因制定并实施纠正措施。验证方式见不符合项报告。"],
    "十三": ["任何影响审核方案的重要事项"],
    "十四": ["审核组组长（签名）", "审核组组员（签名）", "2020年1月8日"],
    "十五": ["个一般不符合", "个严重不符合", "验证合格", "仍有问题", "存在问题说明及意见"],
    "十六": ["技术委员会评定结论", "同意注册", "不同意注册", "认证评定负责人", "批准人（总经理）"],
    "十七": ["(技术委员会填写)"],
    "十八": ["受审核方(含附件)"],
    "十九": ["审核计划（含项目清单）", "不符合报告/问题清单"],
}
# Topics of EMS and OH&S print 不适用 (the audit's criteria are QMS only).
NOT_APPLICABLE_ZH = [
    "EMS环境因素",
    "OHSMS职业健康安全危险源",
    "EMS组织对重要环境因素实施控制的结果",
    "OHSMS组织对不可接受风险实施控制的结果",
]


@pytest.fixture(scope="module")
def seed_pdfs(django_db_setup, django_db_blocker):
    from reports.models import Report

    with django_db_blocker.unblock(), transaction.atomic():
        seed_quietly()
        report = load_report(Report.objects.get(audit__client__name_zh=SEED_CLIENT, audit__audit_type="stage_2").pk)
        renders = {
            "zh": render_report(
                report=report,
                language="zh-hans",
                number=NUMBER,
                draft=False,
                issue=1,
                version_label="第1版",
                strict_glyphs=True,
            ),
            "zh-draft": render_report(
                report=report,
                language="zh-hans",
                number=NUMBER,
                draft=True,
                version_label="草稿 第1版",
                strict_glyphs=True,
            ),
            "en": render_report(
                report=report,
                language="en",
                number=NUMBER,
                draft=False,
                issue=1,
                version_label="Issue 1",
                strict_glyphs=True,
            ),
        }
        transaction.set_rollback(True)
    return renders


@pytest.fixture(scope="module")
def zh_text(seed_pdfs):
    return body_text(seed_pdfs["zh"].result.pdf, running=[CB_NAME, "第1版"])


@pytest.fixture(scope="module")
def en_text(seed_pdfs):
    return body_text(seed_pdfs["en"].result.pdf, running=["Beijing Guobiao", "Issue 1"])


def _positions(text, needles):
    return [text.find(squash(n)) for n in needles]


def test_the_chinese_pdf_has_the_19_part_headings_in_the_seed_order(zh_text):
    positions = _positions(zh_text, HEADINGS_ZH)
    assert -1 not in positions, [h for h, p in zip(HEADINGS_ZH, positions, strict=False) if p == -1]
    assert positions == sorted(positions)


def test_the_english_pdf_has_the_19_part_headings_in_order(en_text):
    positions = _positions(en_text, HEADINGS_EN)
    assert -1 not in positions, [h for h, p in zip(HEADINGS_EN, positions, strict=False) if p == -1]
    assert positions == sorted(positions)


@pytest.mark.parametrize("part", list(SEED_SENTENCES))
def test_each_part_prints_the_seeds_own_sentences_in_its_place(zh_text, part):
    """Each sample sentence is found between its part's heading and the next one."""
    index = HEADINGS_ZH.index(next(h for h in HEADINGS_ZH if h.startswith(part + "、")))
    start = zh_text.find(squash(HEADINGS_ZH[index]))
    end = zh_text.find(squash(HEADINGS_ZH[index + 1])) if index + 1 < len(HEADINGS_ZH) else len(zh_text)
    section = zh_text[start:end]
    missing = [s for s in SEED_SENTENCES[part] if squash(s) not in section]
    assert not missing, f"part {part} lacks {missing}"


def test_part_ten_prints_the_system_boxes_where_the_seed_has_them(zh_text, en_text):
    """十 1.: the systems concluded on are the boxes of the topic's title (no separate line);
    十 3.: every recommendation carries its (☐QMS ☐EMS ☐OHSMS), ticked on the chosen one."""
    start, end = zh_text.find("十、审核结论"), zh_text.find("十一、")
    part = zh_text[start:end]
    assert "结论涉及的体系" not in part
    assert part.count("(☐QMS☐EMS☐OHSMS)") == 7 and part.count("(☑QMS☐EMS☐OHSMS)") == 1
    assert squash("1. Suitability, adequacy and effectiveness of the ☑QMS/☐EMS/☐OHSMS and its") in en_text
    assert squash("Recommend certification after completion of corrective actions (☑QMS ☐EMS ☐OHSMS)") in en_text


def test_the_chinese_pdf_prints_no_english_message(seed_pdfs, zh_text, en_text):
    """Every message the PDF prints (facts' wording such as "No clause" included) is translated."""
    assert "No clause" not in zh_text and "无条款" in zh_text
    assert "Clausesnotapplicable:None" in en_text
    english_words = re.findall(r"\b[A-Za-z][a-z]+ [a-z]{2,}\b", pdftotext(seed_pdfs["zh"].result.pdf))
    assert english_words == []


def test_topics_outside_the_audits_systems_print_not_applicable(zh_text):
    for title in NOT_APPLICABLE_ZH:
        assert re.search(re.escape(title) + r"(（[^）]*）)?不适用", zh_text), title
    # QMS topics carry their text, not 不适用.
    assert re.search(r"组织及其环境的识别情况企业2005年4月成立", zh_text)
    assert not re.search(r"组织及其环境的识别情况不适用", zh_text)


def test_english_pdf_prints_na_and_the_templates_english_wording(en_text):
    assert squash("To evaluate the conformity and effectiveness of the establishment") in en_text
    assert re.search(r"EMSenvironmentalaspects(\([^)]*\))?N/A", en_text)
    assert squash("This audit was based on sampling") in en_text


def test_only_the_draft_carries_the_draft_mark(seed_pdfs):
    draft_pages = page_texts(seed_pdfs["zh-draft"].result.pdf)
    issued_pages = page_texts(seed_pdfs["zh"].result.pdf) + page_texts(seed_pdfs["en"].result.pdf)
    assert [n for n, text in enumerate(draft_pages, start=1) if "DRAFT" not in text and "草稿" not in text] == []
    assert not any("DRAFT" in text or "草稿" in text for text in issued_pages)


def test_every_page_but_the_cover_has_the_running_header_and_page_x_of_y(seed_pdfs):
    pdf = seed_pdfs["zh"].result.pdf
    pages = page_texts(pdf)
    total = len(pages)
    assert total == seed_pdfs["zh"].result.pages > 10
    assert NUMBER not in pages[0].split("报告编号")[0] or "第 1 页" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert CB_NAME in text and NUMBER in text, number
        assert f"第 {number} 页 共 {total} 页" in text, number
    en_pages = page_texts(seed_pdfs["en"].result.pdf)
    assert f"Page 2 of {len(en_pages)}" in en_pages[1]


def test_the_chinese_pdf_embeds_the_sc_cjk_fonts(seed_pdfs):
    reader = pypdf.PdfReader(__import__("io").BytesIO(seed_pdfs["zh"].result.pdf))
    fonts = set()
    for page in reader.pages[:3]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font.get("/BaseFont")))
            for descendant in font.get("/DescendantFonts") or []:
                descriptor = descendant.get_object().get("/FontDescriptor")
                assert descriptor is None or any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    assert any(
        "NotoSerifCJKsc" in f.replace("-", "") or "Noto-Serif-CJK-SC" in f or "NotoSerifCJK" in f.replace("-", "")
        for f in fonts
    ), fonts


def test_a_character_without_a_glyph_fails_a_strict_render(report_with_text):
    report = report_with_text(
        "审核发现\U000e01ef\U0001d400\U00013000"
    )  # a variation selector, math bold A, a hieroglyph
    with pytest.raises(PdfGlyphError):
        render_report(report=report, language="zh-hans", number=NUMBER, draft=True, strict_glyphs=True)


@pytest.fixture
def report_with_text(db):
    from reports.tests.version_factories import approved_setup

    def make(text):
        setup = approved_setup(text=text)
        return load_report(setup.report.pk)

    return make


def test_the_snapshot_holds_what_is_printed(seed_pdfs):
    snapshot = seed_pdfs["zh"].snapshot
    assert snapshot["report_number"] == NUMBER and snapshot["language"] == "zh-hans"
    assert [p["number"] for p in snapshot["parts"]] == list(range(1, 20))
    topics = {t["key"]: t for p in snapshot["parts"] for b in p["blocks"] if b["kind"] == "topics" for t in b["topics"]}
    assert (
        topics["environmental_aspects"]["applicable"] is False and topics["environmental_aspects"]["text"] == "不适用"
    )
    assert topics["context_of_organization"]["text"].startswith("企业2005年4月成立")


def test_building_the_document_does_not_depend_on_the_active_language(db, report_with_text):
    from django.utils import translation

    report = report_with_text("文本")
    with translation.override("en"):
        zh = build_print_document(report=report, language="zh-hans", number=NUMBER)
    with translation.override("zh-hans"):
        en = build_print_document(report=report, language="en", number=NUMBER)
    assert zh.parts[0].heading == "一、审核方基本信息"
    assert en.parts[0].heading == "1. Certification body information"
    assert zh.snapshot != en.snapshot


def test_pdftotext_sees_the_cover(seed_pdfs):
    cover = pdftotext(seed_pdfs["zh"].result.pdf).split("\f")[0]
    assert "管理体系审核报告" in cover and SEED_CLIENT in cover and NUMBER in cover


def test_attachment_one_prints_the_seed_audits_two_days_with_times_and_meetings(zh_text, en_text):
    plan = zh_text[zh_text.rindex("附件1") : zh_text.rindex("附件2")]
    assert plan.index("2020年1月7日") < plan.index("首次会议") < plan.index("2020年1月8日") < plan.index("末次会议")
    assert "08:30–09:00" in plan and "16:30–17:00" in plan
    assert all(department in plan for department in ("管理层", "综合部", "技术部")) and "朱晓丽" in plan
    assert "Q5.1" in plan and "Q8.5.1" in plan  # each clause with its standard's letter
    english = en_text[en_text.rindex("Attachment1") : en_text.rindex("Attachment2")]
    assert "Openingmeeting" in english and "Closingmeeting" in english


# --- layout over every page, both languages ---------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_page_of_the_seed_pdf_has_text_outside_the_text_box_or_a_stranded_heading(seed_pdfs, language):
    """Every page read back (core/tests/pdf_layout.py): no word beyond the @page margins (the
    English laws-and-regulations line ran to 598 pt on a 544 pt text box), no heading or table
    header row as the last line of a page."""
    from core.tests.pdf_layout import layout_problems

    assert layout_problems(seed_pdfs[language].result.pdf) == []


# --- the English report ---------------------------------------------------------------------------


def _section(text, start, end):
    begin = text.find(squash(start))
    assert begin >= 0, start
    return text[begin : text.find(squash(end), begin)]


def test_the_english_policy_topic_keeps_its_system_boxes(zh_text, en_text):
    assert "3.☑质量/☐环境/☐职业健康安全方针" in zh_text
    assert squash("3. ☑Quality/☐environmental/☐OH&S policy") in en_text


def test_english_words_are_not_cut_in_narrow_table_cells(seed_pdfs):
    """No automatic hyphenation, and columns as wide as their longest English word: the
    products table printed "Specificat/ion", the NC list "nonconfor/mity"."""
    words = re.findall(r"\b(?:Specificat|nonconfor)[a-z]*", pdftotext(seed_pdfs["en"].result.pdf))
    assert "Specification" in words and "nonconformity" in words
    assert set(words) <= {"Specification", "nonconformity", "nonconformities", "nonconforming"}, set(words)


def test_the_english_pdf_prints_english_names_and_the_templates_english_sentences(seed_pdfs, zh_text, en_text):
    """五 1. (the template's default sentence, kept by the team) and 十八's recipients (the CB's
    and the auditee's names typed in Chinese) print in English where English exists."""
    part5 = _section(en_text, "5. Summary of audit activities", "2. Departments, functions")
    assert squash("1. The audit was carried out according to the audit plan (see attachment 1).") in part5
    assert "本次审核活动" not in en_text
    # The whole text (the CB's name is also the running header, which en_text leaves out).
    whole = squash(pdftotext(seed_pdfs["en"].result.pdf))
    part18 = _section(whole, "18. Distribution of the audit report", "19. Attachments")
    assert squash("Auditee (with attachments)") in part18
    assert squash("Beijing Guobiao Union Certification Co., Ltd.") in part18
    assert re.search(r"[\u4e00-\u9fff]", part18) is None, part18
    # The Chinese report prints what the team typed, as before.
    assert "受审核方(含附件)" in zh_text
    assert "本次审核活动按审核计划执行（见附件1）。" in zh_text


def test_the_english_pdf_uses_the_terms_of_iso_17021_and_explains_q_j_e_s(en_text, zh_text):
    assert squash("1. Certification body information") in en_text and "Audit body" not in en_text
    assert squash("Name of the certification body") in en_text
    assert squash("☑ Grant certification") in en_text and squash("Do not grant certification") in en_text
    assert "Approve certification" not in en_text
    assert squash("Clauses not applicable: None") in en_text and "Noclause" not in en_text
    assert squash("This audit raised 1 nonconformity report:") in en_text
    assert squash("1 nonconformity reports") not in en_text
    assert squash("Top management") in en_text
    assert squash("Q/J/E/S: Q quality management system (ISO 9001), J quality management of construction") in en_text
    assert "J quality" not in zh_text and "Q/J/E/S：Q" not in zh_text  # the Chinese report is the seed's


# --- the data hash -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_data_hash_is_printed_once_on_the_last_page_and_kept_in_metadata_and_json(seed_pdfs, language):
    render = seed_pdfs[language]
    digest = render.data_sha256
    pages = page_texts(render.result.pdf)
    assert [n for n, text in enumerate(pages, start=1) if digest[:12] in squash(text)] == [len(pages)]
    reader = pypdf.PdfReader(__import__("io").BytesIO(render.result.pdf))
    assert digest in reader.metadata.subject
    attached = __import__("json").loads(reader.attachments["report.json"][0])
    assert attached["data_sha256"] == digest


DATE = re.compile(r"(20\d\d)\s*(?:年|-)\s*(\d{1,2})\s*(?:月|-)\s*(\d{1,2})")


def test_parts_sixteen_and_seventeen_print_the_2020_decision_not_the_day_the_demo_ran(zh_text):
    """The seed audit (2020) was decided in 2020: its review, evaluation and approval are the CB's
    historical records, so no date of parts 十六/十七 is after the audit's year + 1."""
    flat = squash(zh_text)
    part = flat[flat.index("十六、认证评定与批准") : flat.index("十八、审核报告的发放范围")]
    years = [int(match.group(1)) for match in DATE.finditer(part)]
    assert years, part
    assert max(years) <= 2021, part
