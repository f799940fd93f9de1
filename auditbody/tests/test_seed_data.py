"""The shipped seed data (auditbody/seed_data/) is consistent with itself and with the seed texts.

* ``report_template.yaml`` — the 19-part report template: each part once and in order, keys
  unique, every field typed, every choice with its options, topics tied to valid clauses;
* ``seed_audit.yaml`` — every value the seed report prints, keyed to the template: a value for
  every field (null for a blank), none without a field, each of the field's type, and the values
  of fact fields agree with what the system computes from the seed's records (the nonconformity
  facts through the one rule, ``findings.selectors.report_facts``);
* ``client_manual.yaml`` — the client manual: responsibility matrices, objectives, procedures and
  the defects an auditor finds;
* and, when the seed texts themselves are at hand (``SEEDS_DIR``, default ``seeds/`` next to the
  project or the workspace's ``shared/seeds``), that the extracts are verbatim.

(These replace the one-off script ``check_seed_data.py``.)
"""

import datetime
import os
import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.conf import settings

from findings import selectors as nc_selectors

SEED_DATA = Path(settings.BASE_DIR) / "auditbody" / "seed_data"
FAMILIES = ("QMS", "EMS", "OHSMS")
FIELD_TYPES = {"fact", "choice", "multichoice", "text", "date", "table"}
KINDS = {"facts", "choices", "narrative", "mixed"}
CLAUSE = re.compile(r"^\d+(\.\d+)*$")


def _load(name):
    with open(SEED_DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


TEMPLATE = _load("report_template.yaml")
SEED = _load("seed_audit.yaml")
MANUAL = _load("client_manual.yaml")
PARTS = {part["key"]: part for part in TEMPLATE["parts"]}


def _blank(value):
    return value in (None, "", [], {}, "/")


def _duplicates(keys):
    return sorted(str(k) for k, n in Counter(keys).items() if n > 1)


# --- the template -------------------------------------------------------------------------------


def test_template_has_each_of_the_19_parts_once_in_order_with_unique_keys():
    numbers = [part["number"] for part in TEMPLATE["parts"]]
    assert numbers == list(range(1, 20))
    assert _duplicates(part["key"] for part in TEMPLATE["parts"]) == []
    assert _duplicates(topic["key"] for part in TEMPLATE["parts"] for topic in part.get("topics") or []) == []
    for part in TEMPLATE["parts"]:
        assert re.match(r"^[a-z][a-z0-9_]*$", part["key"]), part["key"]
        assert part.get("title_zh") and part.get("title_en") and part.get("kind") in KINDS, part["key"]


def _field_problems(fields, where):
    problems = [f"{where}: field key {k} repeated" for k in _duplicates(f.get("key") for f in fields)]
    options = set()
    for fld in fields:
        at = f"{where}.{fld.get('key')}"
        problems += [
            f"{at}: no {attr}" for attr in ("key", "label_zh", "label_en", "type") if fld.get(attr) in (None, "")
        ]
        if fld.get("type") not in FIELD_TYPES:
            problems.append(f"{at}: type {fld.get('type')!r}")
        if fld.get("type") in ("choice", "multichoice"):
            opts = fld.get("options") or []
            if not opts:
                problems.append(f"{at}: a choice without options")
            problems += [f"{at}: option {k} repeated" for k in _duplicates(o.get("key") for o in opts)]
            problems += [
                f"{at}: option {o.get('key')} lacks a label"
                for o in opts
                if not (o.get("label_zh") and o.get("label_en"))
            ]
            options |= {o.get("key") for o in opts}
        if fld.get("type") == "table" and not fld.get("columns"):
            problems.append(f"{at}: a table without columns")
    for fld in fields:
        for option in fld.get("applies_to_options") or []:
            if option not in options:
                problems.append(f"{where}.{fld['key']}: applies_to_options {option!r} is no option of the part")
    return problems


def test_every_template_field_is_typed_and_every_choice_has_labelled_options():
    problems = _field_problems((TEMPLATE.get("cover") or {}).get("fields") or [], "cover")
    for part in TEMPLATE["parts"]:
        problems += _field_problems(part.get("fields") or [], part["key"])
        for topic in part.get("topics") or []:
            problems += _field_problems(topic.get("fields") or [], f"{part['key']}/{topic['key']}")
    assert problems == []


def test_every_topic_has_titles_families_and_valid_clauses_of_its_own_families():
    problems = []
    for part in TEMPLATE["parts"]:
        for topic in part.get("topics") or []:
            at = f"{part['key']}/{topic['key']}"
            problems += [
                f"{at}: no {a}"
                for a in ("title_zh", "title_en", "group_zh", "group_en", "families")
                if not topic.get(a)
            ]
            if "number" not in topic:
                problems.append(f"{at}: no number")
            families = topic.get("families") or []
            if not set(families) <= set(FAMILIES):
                problems.append(f"{at}: families {families}")
            clauses = topic.get("clauses")
            if not isinstance(clauses, dict):
                problems.append(f"{at}: clauses must map a family to its clause numbers")
                continue
            for family, numbers in clauses.items():
                if family not in families:
                    problems.append(f"{at}: clauses for {family}, not one of its families")
                problems += [f"{at}: clause {n!r}" for n in numbers or [] if not CLAUSE.match(str(n))]
            if bool(topic.get("hint_zh")) != bool(topic.get("hint_en")):
                problems.append(f"{at}: a hint in one language only")
    assert problems == []


def test_part_15_results_are_computed_from_the_nonconformities():
    fields = {f["key"]: f for f in PARTS["corrective_action_verification"]["fields"]}
    for family in FAMILIES:
        assert fields[f"{family.lower()}_result"]["source"] == f"nonconformities.by_family.{family}.result"


# --- the seed audit: its values against the template and against its own records --------------


def _seed_ncs():
    """The seed's nonconformities and observations as the NC rows the report reads."""
    rows = list(SEED.get("nonconformities") or []) + [
        {**o, "grade": "observation"} for o in SEED.get("observations") or []
    ]
    return [
        SimpleNamespace(
            grade=r["grade"], family=r["family"], status=r.get("status") or "open", department=None, clause=None
        )
        for r in rows
    ]


NC_FACTS = nc_selectors.report_facts(_seed_ncs(), SEED["audit"]["families"])
MISSING = object()


def _record(path):
    """What the system prints for ``path`` (a field's ``source``) from the seed's records."""
    if path.startswith("nonconformities."):
        return NC_FACTS.get(path, MISSING)
    if path == "team.members":
        return [m["name"] for m in SEED.get("team") or [] if m.get("role_in_team") != "leader"]
    if path.startswith("team.leader."):
        leaders = [m for m in SEED.get("team") or [] if m.get("role_in_team") == "leader"]
        return leaders[0].get(path.split(".", 2)[2]) if leaders else None
    node = SEED
    for segment in path.split("."):
        if not isinstance(node, dict) or segment not in node:
            return MISSING
        node = node[segment]
    return node


def _value_problems(fld, value, at):
    if value is None:
        return []
    kind = fld["type"]
    keys = {str(o["key"]) for o in fld.get("options") or []}
    if kind == "choice" and str(value) not in keys:
        return [f"{at}: {value!r} is not one of {sorted(keys)}"]
    if kind == "multichoice" and not (isinstance(value, list) and {str(v) for v in value} <= keys):
        return [f"{at}: {value!r} is not a subset of {sorted(keys)}"]
    if kind == "date" and not isinstance(value, datetime.date):
        return [f"{at}: {value!r} is not a date"]
    if kind == "table":
        if not isinstance(value, list):
            return [f"{at}: a table value must be a list of rows"]
        columns = {c["key"] for c in fld["columns"]}
        return [f"{at}: columns {sorted(set(row) - columns)} unknown" for row in value if set(row) - columns]
    return []


def _source_problems(fld, value, at):
    source = fld.get("source")
    if not source:
        return []
    family = re.match(r"nonconformities\.by_family\.(\w+)\.", source)
    if family and family.group(1) not in SEED["audit"]["families"]:
        return []  # a system outside the audit has no facts: printed blank
    record = _record(source)
    if record is MISSING:
        return [f"{at}: source {source!r} is not in the seed's records"]
    if fld["type"] == "table":
        if not _blank(value) and len(value) != len(record or []):
            return [f"{at}: {len(value)} rows printed, {source} has {len(record or [])}"]
        return []
    if isinstance(record, bool):
        record = "yes" if record else "no"
    if _blank(value) or _blank(record):
        return []  # the seed prints blanks the database fills (e.g. 七's counts)
    if record != value:
        return [f"{at}: printed {value!r} but {source} gives {record!r}"]
    return []


def test_seed_audit_has_a_value_for_every_template_field_and_none_without_one():
    problems = [f"part {key} is not in the template" for key in SEED["parts"] if key not in PARTS]
    for key, part in PARTS.items():
        values = SEED["parts"].get(key)
        if values is None:
            problems.append(f"{key}: missing (use {{}} for a part with nothing to fill)")
            continue
        fields = {f["key"]: f for f in part.get("fields") or []}
        allowed = set(fields) | {"topics", "topic_fields"} | {f"{k}_as_printed" for k in fields}
        problems += [f"{key}.{k}: no such field" for k in values if k not in allowed]
        problems += [f"{key}.{k}: no value (null for a blank)" for k in fields if k not in values]
        topics = {t["key"]: t for t in part.get("topics") or []}
        texts = values.get("topics") or {}
        problems += [f"{key}: topic {k} is not in the template" for k in texts if k not in topics]
        problems += [f"{key}: topic {k} has no value (null for a blank)" for k in topics if k not in texts]
        for topic_key, topic_values in (values.get("topic_fields") or {}).items():
            topic_fields = {f["key"] for f in (topics.get(topic_key) or {}).get("fields") or []}
            problems += [f"{key}/{topic_key}: no field {k}" for k in topic_values if k not in topic_fields]
    assert problems == []


def test_seed_values_fit_their_fields_and_facts_agree_with_the_records():
    problems = []
    for fld in (TEMPLATE.get("cover") or {}).get("fields") or []:
        value = (SEED.get("cover") or {}).get(fld["key"])
        problems += _value_problems(fld, value, f"cover.{fld['key']}") + _source_problems(
            fld, value, f"cover.{fld['key']}"
        )
    for key, part in PARTS.items():
        values = SEED["parts"].get(key) or {}
        for fld in part.get("fields") or []:
            at = f"{key}.{fld['key']}"
            value = values.get(fld["key"])
            problems += _value_problems(fld, value, at) + _source_problems(fld, value, at)
        topic_fields = {t["key"]: {f["key"]: f for f in t.get("fields") or []} for t in part.get("topics") or []}
        for topic_key, topic_values in (values.get("topic_fields") or {}).items():
            for field_key, value in topic_values.items():
                fld = topic_fields.get(topic_key, {}).get(field_key)
                if fld is not None:
                    problems += _value_problems(fld, value, f"{key}/{topic_key}.{field_key}")
    assert problems == []


def test_seed_15_agrees_with_the_verification_rule():
    """十五 ticks "QMS (1) 个一般不符合 … 验证合格": what the rule computes from the seed's one
    verified minor nonconformity."""
    assert (
        NC_FACTS["nonconformities.by_family.QMS.minor_count"]
        == SEED["parts"]["corrective_action_verification"]["qms_minor_count"]
    )
    assert (
        NC_FACTS["nonconformities.by_family.QMS.result"]
        == SEED["parts"]["corrective_action_verification"]["qms_result"]
    )
    assert NC_FACTS.get("nonconformities.by_family.EMS.result") is None  # not audited: both boxes blank


def test_seed_records_use_known_grades_and_families():
    assert set(SEED["audit"]["families"]) <= set(FAMILIES)
    for nc in SEED.get("nonconformities") or []:
        assert nc["grade"] in ("major", "minor") and nc["family"] in FAMILIES, nc


# --- the client manual --------------------------------------------------------------------------


def test_client_manual_matrices_assign_each_clause_to_known_departments_and_roles():
    problems = []
    for matrix in MANUAL["responsibility_matrices"]:
        at = f"matrix {matrix['key']}"
        rows = [r["clause"] for r in matrix.get("rows") or []]
        problems += [f"{at}: clause {c} listed twice" for c in _duplicates(rows)]
        problems += [f"{at}: clause {c!r}" for c in rows if not CLAUSE.match(str(c))]
        seen = set()
        for a in matrix.get("assignments") or []:
            if a["clause"] not in rows:
                problems.append(f"{at}: assignment for {a['clause']} without a row")
            if a["department"] not in matrix["columns"]:
                problems.append(f"{at}: department {a['department']} is not a column")
            symbol = matrix["symbols"].get(a["symbol"])
            if a["role"] not in ("owner", "support") or not symbol or symbol["role"] != a["role"]:
                problems.append(f"{at}: {a['clause']}/{a['department']}: symbol {a['symbol']!r} for role {a['role']!r}")
            if (a["clause"], a["department"]) in seen:
                problems.append(f"{at}: {a['clause']}/{a['department']} assigned twice")
            seen.add((a["clause"], a["department"]))
    assert problems == []


def test_client_manual_defects_procedures_and_objectives():
    assert _duplicates(d["id"] for d in MANUAL["defects"]) == []
    assert [p["number"] for p in MANUAL["procedures"]] == list(range(1, len(MANUAL["procedures"]) + 1))
    assert all(MANUAL["objectives"].get(family) for family in FAMILIES)


# --- the extracts against the seed texts (when they are at hand) -----------------------------------


def _seeds_dir():
    candidates = [
        os.environ.get("SEEDS_DIR"),
        Path(settings.BASE_DIR) / "seeds",
        Path(settings.BASE_DIR).parent / "shared" / "seeds",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "000_767b5abe43fc581f.txt").exists():
            return Path(candidate)
    return None


def _squeezed(text):
    return re.sub(r"\s+", "", str(text))


@pytest.fixture(scope="module")
def seed_texts():
    folder = _seeds_dir()
    if folder is None:
        pytest.skip("the seed texts are not here (set SEEDS_DIR to the folder holding 000_….txt and 004_….txt)")
    return {
        "report": _squeezed((folder / "000_767b5abe43fc581f.txt").read_text(encoding="utf-8")),
        "manual": _squeezed((folder / "004_8e83bf0cffd30d51.txt").read_text(encoding="utf-8")),
    }


def test_every_topic_text_of_the_seed_audit_is_verbatim_from_the_seed_report(seed_texts):
    texts = {}
    for part in SEED["parts"].values():
        if isinstance(part, dict):
            texts.update({k: v for k, v in (part.get("topics") or {}).items() if v})
    assert len(texts) > 30
    assert [key for key, text in texts.items() if _squeezed(text) not in seed_texts["report"]] == []
    assert _squeezed(SEED["client"]["name"]) in seed_texts["report"]


def test_the_manuals_procedures_objectives_and_policy_are_verbatim_from_the_seed_manual(seed_texts):
    manual = seed_texts["manual"]
    assert [p["title_zh"] for p in MANUAL["procedures"] if _squeezed(p["title_zh"]) not in manual] == []
    assert [p["code"] for p in MANUAL["procedures"] if _squeezed(p["code"]) not in manual] == []
    assert [o for objectives in MANUAL["objectives"].values() for o in objectives if _squeezed(o) not in manual] == []
    assert _squeezed(MANUAL["policy"]["text_zh"]) in manual
