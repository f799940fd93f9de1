"""Load a report template from YAML (the shipped default: auditbody/seed_data/report_template.yaml).

Idempotent and respectful of the CB's edits:

* every row is found by its natural key (template key+version, part key, field key, option key,
  topic key, group key, family code) and created only when missing, so running the loader twice
  changes nothing, and a title the CB changed in the admin stays changed;
* ``reset=True`` writes the shipped values back over the CB's edits (never deletes rows the CB
  added);
* clause links: each topic's clause numbers are resolved per family against the family's
  standard (ISO 9001:2015, ISO 14001:2015, ISO 45001:2018). Links are added for a family only
  while the topic has none of that family's clauses, so a loader run before the standards were
  loaded can be completed by running it again, without undoing a CB's deliberate changes.

It runs from the data migration ``reports/0002_default_report_template`` (with the historical
``apps`` registry), from ``manage.py load_report_template`` and from ``seed_demo``; see
``/tmp/readme_reports.md`` for why a migration.
"""

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps as global_apps
from django.conf import settings

# The YAML schema has no "when is this part filled" attribute; these parts are not the audit
# team's to fill before submitting the report (the admin can change it per part).
STAGE_BY_PART_KEY = {
    "corrective_action_verification": "verification",  # 十五: after the NCs are verified
    "certification_decision": "committee",  # 十六
    "committee_remarks": "committee",  # 十七: "(技术委员会填写)"
}

DEFAULT_TEMPLATE_PATH = Path(settings.BASE_DIR) / "auditbody" / "seed_data" / "report_template.yaml"
# The stage 1 report (ISO/IEC 17021-1 9.3.1.2): its template says which audit types use it.
STAGE_1_TEMPLATE_PATH = Path(settings.BASE_DIR) / "auditbody" / "seed_data" / "report_template_stage_1.yaml"
SHIPPED_TEMPLATE_PATHS = (DEFAULT_TEMPLATE_PATH, STAGE_1_TEMPLATE_PATH)


@dataclass
class LoadResult:
    template_id: int = 0
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    links_added: int = 0
    unresolved: list = field(default_factory=list)  # (topic key, family, clause number, why)

    def count(self, bucket, model_name):
        bucket[model_name] = bucket.get(model_name, 0) + 1

    @property
    def changed(self):
        return bool(self.created or self.updated or self.links_added)

    def summary(self):
        created = ", ".join(f"{n} {name}" for name, n in sorted(self.created.items())) or "nothing"
        updated = ", ".join(f"{n} {name}" for name, n in sorted(self.updated.items())) or "nothing"
        text = f"created {created}; reset {updated}; {self.links_added} clause links added"
        if self.unresolved:
            text += f"; {len(self.unresolved)} clause references unresolved"
        return text


def _text(value):
    return "" if value is None else str(value)


def _split_standard(ref):
    """'ISO 9001:2015' -> ('ISO 9001', '2015')."""
    code, _, edition = (ref or "").rpartition(":")
    return code.strip(), edition.strip()


class _Loader:
    def __init__(self, data, apps, reset, result):
        self.data = data
        self.reset = reset
        self.result = result
        get = apps.get_model
        self.ReportTemplate = get("reports", "ReportTemplate")
        self.TemplateFamily = get("reports", "TemplateFamily")
        self.TemplatePart = get("reports", "TemplatePart")
        self.TopicGroup = get("reports", "TopicGroup")
        self.TemplateTopic = get("reports", "TemplateTopic")
        self.TemplateField = get("reports", "TemplateField")
        self.TemplateOption = get("reports", "TemplateOption")
        self.Standard = get("standards", "Standard")
        self.Clause = get("standards", "Clause")

    def upsert(self, model, lookup, defaults, cache=None, cache_key=None):
        """Find by natural key (in ``cache`` when given), create when missing, overwrite the
        defaults only with ``reset``."""
        # The data migration that first loads the template runs with the models of its time,
        # which lack the fields added later (those migrations fill them).
        known = {f.name for f in model._meta.get_fields()}
        defaults = {name: value for name, value in defaults.items() if name in known}
        if cache is not None:
            obj = cache.get(cache_key)
        else:
            obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model.objects.create(**lookup, **defaults)
            self.result.count(self.result.created, model.__name__)
            if cache is not None:
                cache[cache_key] = obj
            return obj, True
        if self.reset:
            changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, defaults[name])
                obj.save(update_fields=changed)
                self.result.count(self.result.updated, model.__name__)
        return obj, False

    def build_caches(self, template):
        """Every existing row of the template in a few queries, so a run that changes nothing
        costs a handful of queries, not one per row."""
        self.part_cache = {p.key: p for p in self.TemplatePart.objects.filter(template=template)}
        self.group_cache = {(g.part_id, g.key): g for g in self.TopicGroup.objects.filter(part__template=template)}
        self.topic_cache = {(t.part_id, t.key): t for t in self.TemplateTopic.objects.filter(part__template=template)}
        self.field_cache = {
            (f.part_id, f.topic_id, f.key): f for f in self.TemplateField.objects.filter(part__template=template)
        }
        self.option_cache = {
            (o.field_id, o.key): o for o in self.TemplateOption.objects.filter(field__part__template=template)
        }
        self.linked_standards = {}
        through = self.TemplateTopic.clauses.through
        for topic_id, standard_id in through.objects.filter(templatetopic__part__template=template).values_list(
            "templatetopic_id", "clause__standard_id"
        ):
            self.linked_standards.setdefault(topic_id, set()).add(standard_id)
        standard_ids = [f.standard_id for f in self.families.values() if f.standard_id]
        self.clause_cache = {
            (c.standard_id, c.number): c for c in self.Clause.objects.filter(standard_id__in=standard_ids)
        }

    def run(self):
        spec = self.data["template"]
        marks = spec.get("marks") or {}
        not_applicable = spec.get("not_applicable") or {}
        template, created = self.upsert(
            self.ReportTemplate,
            {"key": spec["key"], "version": int(spec.get("version", 1))},
            {
                "title_zh": _text(spec.get("title_zh")),
                "title_en": _text(spec.get("title_en")),
                "selected_mark": marks.get("selected", "☑"),
                "unselected_mark": marks.get("unselected", "☐"),
                "not_applicable_zh": not_applicable.get("zh", "不适用"),
                "not_applicable_en": not_applicable.get("en", "N/A"),
                "audit_types": list(spec.get("audit_types") or []),
            },
        )
        # A template for given audit types (the stage 1 report) is never the default.
        if created and not spec.get("audit_types") and not self.ReportTemplate.objects.filter(is_default=True).exists():
            template.is_default = True
            template.save(update_fields=["is_default"])
        self.result.template_id = template.pk

        self.families = {}
        for order, (code, fam) in enumerate((self.data.get("families") or {}).items()):
            std_code, edition = _split_standard(fam.get("standard"))
            standard = self.Standard.objects.filter(code=std_code, edition=edition).first()
            family, _ = self.upsert(
                self.TemplateFamily,
                {"template": template, "code": code},
                {
                    "title_zh": _text(fam.get("title_zh")),
                    "title_en": _text(fam.get("title_en")),
                    "national_standard": _text(fam.get("national_standard")),
                    "order": order,
                },
            )
            if family.standard_id is None and standard is not None:
                family.standard = standard
                family.save(update_fields=["standard"])
            self.families[code] = family
        self.build_caches(template)

        cover = self.data.get("cover")
        if cover:
            part, _ = self.upsert(
                self.TemplatePart,
                {"template": template, "key": "cover"},
                {
                    "number": 0,
                    "title_zh": _text(spec.get("title_zh")),
                    "title_en": _text(spec.get("title_en")),
                    "kind": "facts",
                    "heading_as_printed": "",
                    "print_zh": "",
                    "print_en": "",
                    "text_zh": "",
                    "text_en": "",
                    "filled_by_zh": "",
                    "filled_by_en": "",
                    "order": 0,
                },
                self.part_cache,
                "cover",
            )
            self.load_fields(part, None, cover.get("fields") or [])

        for part_spec in self.data.get("parts") or []:
            self.load_part(template, part_spec)
        return template

    def load_part(self, template, spec):
        number = int(spec["number"])
        part, _ = self.upsert(
            self.TemplatePart,
            {"template": template, "key": spec["key"]},
            {
                "number": number,
                "title_zh": _text(spec.get("title_zh")),
                "title_en": _text(spec.get("title_en")),
                "kind": spec.get("kind") or "mixed",
                "heading_as_printed": _text(spec.get("heading_as_printed")).strip(),
                "print_zh": _text(spec.get("print_zh")),
                "print_en": _text(spec.get("print_en")),
                "text_zh": _text(spec.get("text_zh")),
                "text_en": _text(spec.get("text_en")),
                "filled_by_zh": _text(spec.get("filled_by_zh")),
                "filled_by_en": _text(spec.get("filled_by_en")),
                "stage": spec.get("stage") or STAGE_BY_PART_KEY.get(spec["key"], "report"),
                "order": number,
            },
            self.part_cache,
            spec["key"],
        )
        self.load_fields(part, None, spec.get("fields") or [])
        groups = {}
        for order, topic_spec in enumerate(spec.get("topics") or [], start=1):
            group = None
            group_key = topic_spec.get("group")
            if group_key:
                group = groups.get(group_key)
                if group is None:
                    group, _ = self.upsert(
                        self.TopicGroup,
                        {"part": part, "key": str(group_key)},
                        {
                            "title_zh": _text(topic_spec.get("group_zh")),
                            "title_en": _text(topic_spec.get("group_en")),
                            "order": len(groups) + 1,
                        },
                        self.group_cache,
                        (part.pk, str(group_key)),
                    )
                    groups[group_key] = group
            self.load_topic(part, group, topic_spec, order)

    def load_topic(self, part, group, spec, order):
        topic, created = self.upsert(
            self.TemplateTopic,
            {"part": part, "key": spec["key"]},
            {
                "group": group,
                "number": _text(spec.get("number")),
                "title_zh": _text(spec.get("title_zh")).strip(),
                "title_en": _text(spec.get("title_en")).strip(),
                "title_continuing_zh": _text(spec.get("title_continuing_zh")),
                "title_continuing_en": _text(spec.get("title_continuing_en")),
                "hint_zh": _text(spec.get("hint_zh")),
                "hint_en": _text(spec.get("hint_en")),
                "families": list(spec.get("families") or []),
                "family_labels": dict(spec.get("title_family_labels") or {}),
                "family_labels_en": dict(spec.get("title_family_labels_en") or {}),
                "audit_types": list(spec.get("audit_types") or []),
                "order": order,
            },
            self.topic_cache,
            (part.pk, spec["key"]),
        )
        self.link_clauses(topic, spec.get("clauses") or {}, exact=created or self.reset)
        self.load_fields(part, topic, spec.get("fields") or [])

    def link_clauses(self, topic, clauses_by_family, exact):
        linked = self.linked_standards.get(topic.pk, set())
        wanted = []
        for family_code, numbers in clauses_by_family.items():
            family = self.families.get(family_code)
            standard_id = family.standard_id if family else None
            if standard_id is None:
                for number in numbers:
                    self.result.unresolved.append((topic.key, family_code, str(number), "standard not loaded"))
                continue
            if not exact and standard_id in linked:
                continue  # already linked (possibly edited by the CB): leave as is
            for number in numbers:
                clause = self.clause_cache.get((standard_id, str(number)))
                if clause is None:
                    self.result.unresolved.append((topic.key, family_code, str(number), "no such clause"))
                else:
                    wanted.append(clause)
        if exact and self.reset:
            current = set(topic.clauses.values_list("pk", flat=True))
            if current != {c.pk for c in wanted}:
                topic.clauses.set(wanted)
                self.result.links_added += len({c.pk for c in wanted} - current)
                self.result.count(self.result.updated, "clause links")
            return
        if wanted:
            existing = set(topic.clauses.values_list("pk", flat=True)) if linked else set()
            new = [c for c in wanted if c.pk not in existing]
            if new:
                topic.clauses.add(*new)
                self.result.links_added += len(new)

    def load_fields(self, part, topic, field_specs):
        for order, spec in enumerate(field_specs, start=1):
            lookup = {"part": part, "topic": topic, "key": spec["key"]}
            fld, _ = self.upsert(
                self.TemplateField,
                lookup,
                {
                    "number": _text(spec.get("number")),
                    "label_zh": _text(spec.get("label_zh")),
                    "label_en": _text(spec.get("label_en")),
                    "type": spec["type"],
                    "source": _text(spec.get("source")),
                    "columns": list(spec.get("columns") or []),
                    "applies_to_options": list(spec.get("applies_to_options") or []),
                    "printed_with": _text(spec.get("printed_with")),
                    "checkbox": bool(spec.get("checkbox")),
                    "option_detail": dict(spec.get("option_detail") or {}),
                    "audit_types": list(spec.get("audit_types") or []),
                    "default_zh": _text(spec.get("default_zh")),
                    "default_en": _text(spec.get("default_en")),
                    "row_label_zh": _text(spec.get("row_label_zh")),
                    "row_label_en": _text(spec.get("row_label_en")),
                    "group_zh": _text(spec.get("group_zh")),
                    "group_en": _text(spec.get("group_en")),
                    "order": order,
                },
                self.field_cache,
                (part.pk, topic.pk if topic else None, spec["key"]),
            )
            for opt_order, option in enumerate(spec.get("options") or [], start=1):
                self.upsert(
                    self.TemplateOption,
                    {"field": fld, "key": str(option["key"])},
                    {
                        "label_zh": _text(option.get("label_zh")),
                        "label_en": _text(option.get("label_en")),
                        "description_zh": _text(option.get("description_zh")),
                        "description_en": _text(option.get("description_en")),
                        "families": list(option.get("families") or []),
                        "retired": bool(option.get("retired")),
                        "order": opt_order,
                    },
                    self.option_cache,
                    (fld.pk, str(option["key"])),
                )


_Loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=8)
def _parse(path, mtime):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader_cls)


def read_template_yaml(path=DEFAULT_TEMPLATE_PATH):
    """The parsed YAML (cached per file version; callers must not mutate it)."""
    path = os.fspath(path)
    return _parse(path, os.stat(path).st_mtime_ns)


def load_report_template(path=DEFAULT_TEMPLATE_PATH, *, apps=None, reset=False, data=None) -> LoadResult:
    """Create (or complete) the template described by ``path``; see the module docstring.

    ``apps``: the app registry (a migration passes its historical one). Not atomic by itself:
    callers wrap it (migrations are atomic; the command and seed_demo use transaction.atomic).
    """
    result = LoadResult()
    _Loader(data if data is not None else read_template_yaml(path), apps or global_apps, reset, result).run()
    return result


def template_for(audit_type: str):
    """The template a new report of an audit of ``audit_type`` uses: the newest template made for
    that audit type (the stage 1 report), else the default. A shipped template for the type is
    loaded when the database has none (e.g. after a test flushed the tables)."""
    from .models import ReportTemplate

    audit_type = str(audit_type)
    # A handful of rows: read in Python (SQLite has no JSON "contains").
    for template in ReportTemplate.objects.exclude(audit_types=[]).order_by("key", "-version"):
        if audit_type in (template.audit_types or []):
            return template
    for path in SHIPPED_TEMPLATE_PATHS:
        if audit_type in (read_template_yaml(path)["template"].get("audit_types") or []):
            return ReportTemplate.objects.get(pk=load_report_template(path).template_id)
    return default_template()


def default_template():
    """The default report template, loaded from the shipped YAML when the database has none
    (e.g. after a test flushed the tables the migration filled)."""
    from .models import ReportTemplate

    template = ReportTemplate.objects.filter(is_default=True).first()
    if template is None:
        template = ReportTemplate.objects.get(pk=load_report_template().template_id)
    return template
