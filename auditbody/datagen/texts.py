"""The texts the generated records draw from: departments, places, trades, NC statements, report
prose, NC answers and the auditors' replies (realistic Chinese, varied by the seed)."""

DEPARTMENTS = ["总经理", "综合部", "技术部", "生产部", "质检部", "采购部", "销售部", "仓储部"]
CITIES = ["北京市", "上海市", "广州市", "成都市", "武汉市", "西安市", "杭州市", "南京市"]
TRADES = ["食品", "机械", "电子", "软件", "建筑", "物流", "化工", "印刷"]
STATEMENTS = [
    "未能提供2019年度内部审核的记录。",
    "采购部未对供方进行年度评价。",
    "现场查见未受控的作业指导书。",
    "未保留管理评审输入的证据。",
    "计量器具校准已过有效期。",
]

# --- report text: a topic is an opening, one to three findings and a conclusion ------------------

STANDARD_TEXT = {"QMS": "GB/T19001-2016", "EMS": "GB/T24001-2016", "OHSMS": "GB/T45001-2020"}
MANUAL = {"QMS": "《质量手册》", "EMS": "《环境管理手册》", "OHSMS": "《职业健康安全管理手册》"}
OPENINGS = [
    "查：公司依据{std}标准对{manual}进行修订，现行为{version}版，于{date}批准发布实施。",
    "查：{dept}编制了《{title}控制程序》，明确了职责、方法、频次和记录要求。",
    "与{dept}负责人交流，能够清楚说明{title}的要求及本部门的具体做法。",
    "查：公司在{manual}第{section}章中对{title}作出规定，与{std}标准要求一致。",
]
FINDINGS = [
    "抽查{year}年{month}月的相关记录{n}份，填写完整，审批手续齐全。",
    "现场观察{dept}作业过程，人员按作业指导书操作，记录及时、清晰。",
    "查{year}年度{title}的策划与实施记录，按计划完成，结果已评价并报管理层。",
    "询问{dept}员工{n}名，对本岗位要求及相关风险、控制措施了解清楚。",
    "查见{dept}建立了台账，共{n}项，均在有效期内，已按规定标识。",
    "查{year}年{month}月{dept}的月度检查记录，发现的问题已跟踪整改并验证。",
]
CONCLUSIONS = [
    "该过程运行有效，符合标准要求。",
    "总体符合要求，建议进一步完善记录的可追溯性。",
    "基本有效，{dept}个别记录填写不规范，已当场纠正。",
    "未发现不符合。",
]
RETURN_COMMENTS = ["请补充抽样记录的编号和日期。", "结论与审核发现不一致，请修改。", "请写明访谈对象的岗位。"]
# Topics a team often leaves blank on purpose ("nothing to report"): it prints them blank.
OFTEN_BLANK = {"innovation", "other_performance_evidence", "incidents_and_complaints"}

# --- the client's answers and the auditors' decisions on them ------------------------------------

CORRECTIONS = [
    "已补充{year}年度内部审核记录，并经管理者代表审批。",
    "已将过期计量器具送检，取得校准证书并重新标识。",
    "已收回未受控文件，加盖受控章后重新发放。",
    "已补做供方年度评价，保留评价记录。",
    "已补充管理评审输入资料并重新组织评审。",
]
ROOT_CAUSES = [
    "{dept}人员对程序文件的要求理解不到位。",
    "职责分工不明确，未指定专人负责。",
    "培训不足，相关人员未掌握{std}标准的要求。",
    "监督检查不到位，未能及时发现问题。",
]
CORRECTIVE_ACTIONS = [
    "修订相关程序文件，明确职责和时限，并对{dept}全体人员进行培训，培训记录附后。",
    "举一反三，对其他部门进行排查，未发现类似问题；每季度由管理者代表检查一次。",
    "建立台账并纳入月度检查内容，由{dept}负责人监督实施。",
]
REJECT_REASONS = [
    "未提供纠正措施实施的证据，请补充相关记录。",
    "原因分析不充分，未找到根本原因。",
    "纠正措施未覆盖其他部门，请举一反三。",
]
CLOSURE_REJECT_REASONS = ["验证证据不足，请补充培训记录后重新提交。", "纠正措施的完成日期晚于规定期限，请说明。"]
VERIFICATION_NOTES = ["经文件验证，纠正措施有效。", "已查阅提交的记录，措施已实施并有效。", ""]
