"""The regulator's suspension and withdrawal reason codes (CNCA certification-information data),
as reference data the CB can edit in the admin (titles, order, active). Re-running leaves rows
the CB changed alone; removing the migration deletes only rows no status change uses."""
from django.db import migrations

# Codes and English titles as issue #10 lists them; Chinese titles after the same meaning.
SUSPENSION = [
    ("0111", "持续或严重不满足认证要求", "Persistent or serious failure to meet the requirements"),
    ("0112", "获证组织不履行认证合同约定的义务", "Client does not meet its contract duties"),
    ("0113", "被执法监管部门处罚", "Penalised by an enforcement authority"),
    ("0114", "监管部门发现问题", "Problems found by a regulator"),
    ("0115", "行政许可过期失效，换证申请尚在办理", "Licence expired and renewal pending"),
    ("0116", "获证组织主动请求暂停", "Client's request"),
    ("0199", "其他", "Other"),
]
WITHDRAWAL = [
    ("0111", "法律地位证明文件被注销或撤销", "Legal status cancelled"),
    ("0112", "拒绝接受监管部门检查或提供虚假材料、信息", "Refused a regulator's inspection or gave false information"),
    ("0113", "发生重大质量安全事故", "Major quality or safety accident"),
    ("0114", "其他严重违法违规行为", "Other serious violation"),
    ("0115", "暂停期满问题仍未解决", "Suspension expired unresolved"),
    ("0116", "管理体系未运行", "System not operated"),
    ("0117", "不正确使用认证证书且未纠正", "Misuse of the certificate not corrected"),
    ("0120", "被新证书替代", "Replaced by a new certificate"),
    ("0199", "其他", "Other"),
]


def create(apps, schema_editor):
    StatusReason = apps.get_model("certification", "StatusReason")
    for kind, rows in (("suspension", SUSPENSION), ("withdrawal", WITHDRAWAL)):
        for order, (code, title_zh, title_en) in enumerate(rows, start=1):
            StatusReason.objects.get_or_create(
                kind=kind, code=code, defaults={"title_zh": title_zh, "title_en": title_en, "order": order * 10}
            )


def remove(apps, schema_editor):
    StatusReason = apps.get_model("certification", "StatusReason")
    CertificateStatusChange = apps.get_model("certification", "CertificateStatusChange")
    used = set(CertificateStatusChange.objects.exclude(reason=None).values_list("reason_id", flat=True))
    StatusReason.objects.exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
