"""Demo clients, from the seed data (auditbody/seed_data/):

* 中食互联（北京）科技有限公司 — the seed report's client, with every value its part 四 prints
  (seed_audit.yaml ``client`` / ``parts.auditee_info``), the departments of part 五 and a
  responsibility matrix derived from the functions part 五 gives each department;
* 易科智控科技（北京）有限公司 — the owner of the seed manual (client_manual.yaml), with its
  departments and the manual's own 职能分配表 (QMS, EMS and OHSMS matrices);
* 苏州澄泓电机科技有限公司 — a fictitious manufacturer of motor controllers (25 people, IAF
  sector 19) certified to ISO 9001 + ISO 14001 + ISO 45001 with one integrated audit: the
  integrated client whose whole first cycle the later demo steps run (``INTEGRATED_CLIENT``).

Idempotent: a row is written only when it differs from what the seed says, so running the demo
twice adds no row and no history.
"""

from pathlib import Path

import yaml
from django.conf import settings

from accounts.demo import seed_user
from core.access import Role
from standards.models import Clause, Standard, TechnicalArea

from .models import Client, ClientScope, Department, Responsibility, Site, SiteKind

SEED_CLIENT = {
    "name_zh": "中食互联（北京）科技有限公司",
    "name_en": "Zhongshi Hulian (Beijing) Technology Co., Ltd.",
}
MANUAL_CLIENT_NAME_EN = "Yike Zhikong Technology (Beijing) Co., Ltd."
# username, full name of the seed client's user: its management-system contact.
DEMO_CLIENT_USER = ("client", "付微")

SEED_DIR = Path(settings.BASE_DIR) / "auditbody" / "seed_data"

DEPARTMENTS_EN = {"管理层": "Top management", "综合部": "General Affairs Department", "技术部": "Technical Department"}

# 中食互联's matrix, from part 五's functions per department (ISO 9001:2015 clauses; the longest
# matching clause prefix decides the responsible department).
#   管理层: 管理体系建立(4.4)；组织环境(4.1)、相关方(4.2)及风险机遇(6.1)；方针(5.2)、目标(6.2)；
#           管理承诺(5.1)；职责权限(5.3)；管理评审(9.3)
#   综合部: 内审(9.2)；人力资源(7.1.2, 7.2, 7.3)；组织知识(7.1.6)；内外部沟通(7.4)；与顾客有关的
#           过程(8.2)及顾客满意度调查(9.1.2)；外部供方控制(8.4)；基础设施及工作环境(7.1.3, 7.1.4)
#   技术部: 产品实现的策划(8.1)及设计开发(8.3)、生产过程控制(8.5)、监视测量设备(7.1.5)、
#           监视测量(9.1)、放行控制(8.6)；不符合(8.7)及纠正措施(10.2)
SEED_MATRIX_OWNERS = {
    "4": "管理层",
    "5": "管理层",
    "6": "管理层",
    "7": "综合部",
    "7.1": "管理层",
    "7.1.1": "管理层",
    "7.1.5": "技术部",
    "8": "技术部",
    "8.2": "综合部",
    "8.4": "综合部",
    "9": "技术部",
    "9.1.2": "综合部",
    "9.2": "综合部",
    "9.3": "管理层",
    "10": "管理层",
    "10.2": "技术部",
}
# Supporting departments: everybody supports context, leadership and planning (as in the
# seed manual's matrix); 综合部 supports analysis (9.1.3) and corrective action (10.2, from
# its internal audits); 管理层 supports resources (7.1).
SEED_MATRIX_SUPPORT = {
    "4": ["综合部", "技术部"],
    "5": ["综合部", "技术部"],
    "6": ["综合部", "技术部"],
    "7.1": ["综合部", "技术部"],
    "9.1.3": ["综合部"],
    "10.2": ["综合部"],
}


def load_yaml(name):
    with open(SEED_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# --- idempotent writes -----------------------------------------------------------------------


def sync(model, lookup, values):
    """Get the row matching ``lookup`` and bring it to ``values``, saving only if something
    differs (so no history row is added for nothing). Returns (obj, "created"|"updated"|"unchanged")."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    if hasattr(obj, "version"):
        obj.version += 1
    obj.save()
    return obj, "updated"


def sync_m2m(manager, objects):
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(list(wanted))
        return True
    return False


def find_standard(label):
    """``"ISO 9001:2015"`` or ``"GB/T 28001-2011"`` → Standard or None."""
    if ":" in label:
        code, edition = label.split(":", 1)
    else:
        code, edition = label.rsplit("-", 1)
    return Standard.objects.filter(code=code.strip(), edition=edition.strip()).first()


def _warn(stdout, message):
    stdout.write(f"  WARNING: {message}")


# --- the seed report's client ----------------------------------------------------------------


def seed(stdout):
    client = seed_report_client(stdout)
    seed_manual_client(stdout)
    seed_client_user(stdout, client=client)
    seed_integrated_client(stdout)


def seed_client_user(stdout, *, client):
    """The seed client's management-system contact (付微) is its demo client user."""
    username, full_name = DEMO_CLIENT_USER
    seed_user(stdout, username=username, full_name=full_name, role=Role.CLIENT, client=client)


def seed_report_client(stdout):
    data = load_yaml("seed_audit.yaml")
    info = data["parts"]["auditee_info"]
    c = data["client"]
    client, state = sync(
        Client,
        {"name_zh": SEED_CLIENT["name_zh"]},
        {
            "name_en": SEED_CLIENT["name_en"],
            "headcount": c["headcount"],
            "postal_code": c["registered_postcode"] or "",
            "phone": "",
            "fax": c["contact"]["fax"] or "",
            "email": "",
            "legal_representative": c["legal_representative"],
            "top_management": c["top_management"],
            "ms_contact": c["ms_representative"],
            "contact_name": c["contact"]["name"],
            "contact_phone": c["contact"]["phone"],
            "contact_email": "",
            "integrated_audit": info["integrated_audit"] == "yes",
            "system_implemented_on": c["ms_implementation_date"],
            "last_audit_on": info["last_audit_date"],
            "changes_since_last_audit": info["significant_changes"] or "",
        },
    )
    stdout.write(f"  {state} client {client}")

    sync(
        Site,
        {"client": client, "kind": SiteKind.REGISTERED},
        {
            "address_zh": c["registered_address"],
            "postal_code": c["registered_postcode"] or "",
            "name": "",
            "is_central": False,
        },
    )
    for number, site in enumerate(c["operating_addresses"], start=1):
        # One operating address: the office where the 15 people work and the system is run.
        sync(
            Site,
            {"client": client, "kind": SiteKind.OPERATING, "address_zh": site["address"]},
            {"postal_code": site["postcode"] or "", "name": "", "is_central": number == 1},
        )
    # 分场所 / 临时场所: 无 → no branch or temporary site.

    for order, name in enumerate(c["departments"], start=1):
        sync(Department, {"client": client, "name_zh": name}, {"name_en": DEPARTMENTS_EN.get(name, ""), "order": order})

    areas = list(TechnicalArea.objects.filter(code__in=c["scope_codes"]))
    missing = set(c["scope_codes"]) - {a.code for a in areas}
    if missing:
        _warn(stdout, f"technical-area codes {sorted(missing)} are not loaded; the client gets no code.")
    sync_m2m(client.technical_areas, areas)

    iso9001 = find_standard("ISO 9001:2015")
    if iso9001 is None:
        _warn(stdout, "standard ISO 9001:2015 is not loaded: no scope or responsibility matrix for the seed client.")
        return client
    sync(
        ClientScope,
        {"client": client, "standard": iso9001},
        {"scope_zh": c["scope_by_family"]["QMS"], "scope_en": "Basic software services"},
    )
    _sync_matrix(client, iso9001, _derived_cells(client, iso9001), stdout)
    return client


def _derived_cells(client, standard):
    departments = {d.name_zh: d for d in client.departments.all()}
    cells = {}
    for clause in Clause.objects.filter(standard=standard, depth__gte=2).exclude(parent__number__in=("1", "2", "3")):
        prefixes = [".".join(clause.number.split(".")[:i]) for i in range(clause.number.count(".") + 1, 0, -1)]
        owner = next((SEED_MATRIX_OWNERS[p] for p in prefixes if p in SEED_MATRIX_OWNERS), None)
        if owner is None:
            continue
        cells[(clause.pk, departments[owner].pk)] = "owner"
        support = next((SEED_MATRIX_SUPPORT[p] for p in prefixes if p in SEED_MATRIX_SUPPORT), [])
        for name in support:
            if name != owner:
                cells[(clause.pk, departments[name].pk)] = "support"
    return cells


def _sync_matrix(client, standard, cells, stdout):
    """Write the matrix for one standard directly (idempotent: only differing cells)."""
    existing = {
        (r.clause_id, r.department_id): r
        for r in Responsibility.objects.filter(department__client=client, clause__standard=standard)
    }
    added = changed = removed = 0
    for key, role in cells.items():
        row = existing.get(key)
        if row is None:
            Responsibility.objects.create(clause_id=key[0], department_id=key[1], role=role)
            added += 1
        elif row.role != role:
            row.role = role
            row.save(update_fields=["role"])
            changed += 1
    for key, row in existing.items():
        if key not in cells:
            row.delete()
            removed += 1
    stdout.write(
        f"  matrix {client} × {standard}: {len(cells)} cells ({added} added, {changed} changed, {removed} removed)"
    )


# --- the seed manual's client ----------------------------------------------------------------


def seed_manual_client(stdout):
    data = load_yaml("client_manual.yaml")
    org = data["organisation"]
    people = {p["role"]: p["name"] for p in org["people"]}
    client, state = sync(
        Client,
        {"name_zh": org["name"]},
        {
            "name_en": MANUAL_CLIENT_NAME_EN,
            "phone": org["phone"],
            "legal_representative": "",
            "top_management": people["top_management"],
            "ms_contact": people["management_representative"],
            "ohs_representative": people["ohs_workers_representative"],
            "contact_name": people["management_representative"],
            "integrated_audit": True,  # one integrated manual for QMS + EMS + OHSMS
            "system_implemented_on": data["meta"]["issued_on"],
        },
    )
    stdout.write(f"  {state} client {client}")
    sync(
        Site,
        {"client": client, "kind": SiteKind.OPERATING, "address_zh": org["address"]},
        {"is_central": True, "name": ""},
    )
    for order, dept in enumerate(data["departments"], start=1):
        sync(
            Department,
            {"client": client, "name_zh": dept["name_zh"]},
            {"name_en": dept.get("name_en", ""), "order": order},
        )
    departments = {d.name_zh: d for d in client.departments.all()}

    for cited in data["meta"]["standards_cited"]:
        standard = find_standard(cited["standard"].split(" (")[0])
        if standard is None:
            _warn(
                stdout,
                f"standard {cited['standard']} is not loaded: no {cited['family']} scope or matrix for {client}.",
            )
            continue
        sync(
            ClientScope,
            {"client": client, "standard": standard},
            {"scope_zh": org["scope"][cited["family"]], "scope_en": ""},
        )

    for matrix in data["responsibility_matrices"]:
        standard = find_standard(matrix["standard"])
        if standard is None:
            continue
        clauses = {c.number: c for c in Clause.objects.filter(standard=standard)}
        cells = {}
        for cell in matrix["assignments"]:
            number = cell.get("clause_should_be") or _corrected_number(matrix, cell["clause"])
            clause = clauses.get(number)
            if clause is None:
                _warn(stdout, f"{matrix['key']} matrix: clause {cell['clause']} is not in {standard}; cell skipped.")
                continue
            # The QMS matrix has the persons 总经理 and 管代 as columns: both are 管理层.
            department = departments.get(cell["department"]) or departments["管理层"]
            key = (clause.pk, department.pk)
            if cells.get(key) != "owner":
                cells[key] = cell["role"]
        _sync_matrix(client, standard, cells, stdout)
    return client


def _corrected_number(matrix, number):
    """The manual numbers some rows wrongly (8.9.x for 8.4.x …): use the row's correction."""
    for row in matrix["rows"]:
        if row["clause"] == number:
            return row.get("clause_should_be", number)
    return number


# --- the integrated client (fictitious) --------------------------------------------------------

INTEGRATED_CLIENT = {
    "name_zh": "苏州澄泓电机科技有限公司",
    "name_en": "Suzhou Chenghong Motor Technology Co., Ltd.",
}
INTEGRATED_CODES = ["19"]  # IAF sector 19, electrical and optical equipment
# The requested scope per standard, zh and en: each certificate prints its own.
INTEGRATED_SCOPES = {
    "ISO 9001:2015": ("电机控制器的设计和生产", "Design and production of motor controllers"),
    "ISO 14001:2015": (
        "电机控制器的设计和生产所涉及的相关环境管理活动",
        "Environmental management activities related to the design and production of motor controllers",
    ),
    "ISO 45001:2018": (
        "电机控制器的设计和生产所涉及的相关职业健康安全管理活动",
        "Occupational health and safety management activities related to the design and production of "
        "motor controllers",
    ),
}
INTEGRATED_DEPARTMENTS = [("管理层", "Management"), ("生产部", "Production"), ("行政部", "Administration")]


def seed_integrated_client(stdout):
    """The integrated client: its organisation, sites, scopes and a matrix that gives every
    clause of the three standards to a department (management: 4–7 and 9–10; production: 8)."""
    client, state = sync(
        Client,
        {"name_zh": INTEGRATED_CLIENT["name_zh"]},
        {
            "name_en": INTEGRATED_CLIENT["name_en"],
            "headcount": 25,
            "postal_code": "215128",
            "phone": "0512-6588 1200",
            "legal_representative": "沈建华",
            "top_management": "沈建华",
            "ms_contact": "顾晓婷",
            "ohs_representative": "陆志强",
            "contact_name": "顾晓婷",
            "contact_phone": "13912760431",
            "integrated_audit": True,
        },
    )
    stdout.write(f"  {state} client {client}")
    sync(
        Site,
        {"client": client, "kind": SiteKind.REGISTERED},
        {"address_zh": "江苏省苏州市吴中区澄湖东路88号", "postal_code": "215128", "name": "", "is_central": True},
    )
    areas = list(TechnicalArea.objects.filter(code__in=INTEGRATED_CODES))
    if len(areas) != len(INTEGRATED_CODES):
        _warn(stdout, f"technical-area codes {INTEGRATED_CODES} are not loaded; the integrated client gets none.")
    sync_m2m(client.technical_areas, areas)
    departments = {}
    for order, (zh, en) in enumerate(INTEGRATED_DEPARTMENTS, start=1):
        departments[zh], _state = sync(Department, {"client": client, "name_zh": zh}, {"name_en": en, "order": order})
    for label, (scope_zh, scope_en) in INTEGRATED_SCOPES.items():
        standard = find_standard(label)
        if standard is None:
            _warn(stdout, f"standard {label} is not loaded: the integrated client does not request it.")
            continue
        sync(ClientScope, {"client": client, "standard": standard}, {"scope_zh": scope_zh, "scope_en": scope_en})
        # A clause counts as assigned when a clause above it has a department: the headings do.
        cells = {
            (clause.pk, departments["生产部" if clause.number == "8" else "管理层"].pk): "owner"
            for clause in Clause.objects.filter(standard=standard, depth=1).exclude(number__in=("1", "2", "3"))
        }
        _sync_matrix(client, standard, cells, stdout)
    return client
