"""The layout files (``regulator/layouts/*.yaml``) and code tables (``layouts/codes/*.yaml``) as
typed objects.

A layout names its sheet, the rows above the data (field code, meaning, type, length, notes, check
level, published) and, per column, where its value comes from (``value``: a key of the row the
collectors build, ``regulator/collect.py``), its data type, length, whether it is required, its code
table, a pattern, a check (``credit_code``), a value map and whether it is upper-cased. A CB whose
regulator changed a sheet puts its edited copy in the folder ``settings.REGULATOR_LAYOUT_DIR``
(same file name), which takes precedence over the shipped file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

SHIPPED = Path(__file__).resolve().parent / "layouts"
LAYOUT_KEYS = ("cnca_102010", "cnca_103010", "cnca_103011", "iaf_certsearch")
HEADER_LABELS = {
    "code": "字段代码",
    "meaning": "字段含义",
    "type": "数据类型",
    "length": "最大长度",
    "notes": "填写说明",
    "check": "校验级别",
    "published": "是否公开",
}


@dataclass(frozen=True)
class Field:
    code: str
    meaning: str
    type: str
    value: str
    length: int | None = None
    required: bool = False
    codes: str = ""
    pattern: str = ""
    check: str = ""
    upper: bool = False
    notes: str = ""
    published: bool = False
    map: dict[str, str] = field(default_factory=dict)

    def header_cell(self, row: str) -> Any:
        """The cell of this field in the header row ``row`` (a name of ``Layout.header``)."""
        if row == "code":
            return self.code
        if row == "meaning":
            return self.meaning
        if row == "type":
            return self.type
        if row == "length":
            return self.length if self.length is not None else ""
        if row == "notes":
            return self.notes
        if row == "check":
            return "必填" if self.required else "选填"
        if row == "published":
            return "是" if self.published else "否"
        raise KeyError(row)


@dataclass(frozen=True)
class Layout:
    key: str
    table: str
    sheet: str
    version: str
    source: str
    header: tuple[str, ...]
    date_format: str
    fields: tuple[Field, ...]

    @property
    def first_data_row(self) -> int:
        return len(self.header) + 1

    def field(self, code: str) -> Field:
        for item in self.fields:
            if item.code == code:
                return item
        raise KeyError(code)


@dataclass(frozen=True)
class CodeTable:
    name: str
    title: str
    source: str
    complete: bool
    codes: dict[str, str]
    by_family: dict[str, str] = field(default_factory=dict)


def _path(relative: str) -> Path:
    override = getattr(settings, "REGULATOR_LAYOUT_DIR", "") or ""
    if override:
        candidate = Path(override) / relative
        if candidate.exists():
            return candidate
    return SHIPPED / relative


def _read(relative: str) -> Any:
    with _path(relative).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def layout(key: str) -> Layout:
    data = _read(f"{key}.yaml")
    fields = tuple(
        Field(
            code=str(item["code"]),
            meaning=str(item.get("meaning", "")),
            type=str(item.get("type", "VARCHAR2")),
            value=str(item["value"]),
            length=item.get("length"),
            required=bool(item.get("required", False)),
            codes=str(item.get("codes", "")),
            pattern=str(item.get("pattern", "")),
            check=str(item.get("check", "")),
            upper=bool(item.get("upper", False)),
            notes=str(item.get("notes", "")),
            published=bool(item.get("published", False)),
            map={str(k): str(v) for k, v in (item.get("map") or {}).items()},
        )
        for item in data["fields"]
    )
    return Layout(
        key=str(data["key"]),
        table=str(data["table"]),
        sheet=str(data["sheet"]),
        version=str(data["version"]),
        source=str(data.get("source", "")),
        header=tuple(data["header"]),
        date_format=str(data.get("date_format", "date")),
        fields=fields,
    )


@functools.cache
def code_table(name: str) -> CodeTable:
    data = _read(f"codes/{name}.yaml")
    return CodeTable(
        name=str(data["name"]),
        title=str(data.get("title", "")),
        source=str(data.get("source", "")),
        complete=bool(data.get("complete", False)),
        codes={str(k): str(v) for k, v in data["codes"].items()},
        by_family={str(k): str(v) for k, v in (data.get("by_family") or {}).items()},
    )


def code_table_names() -> list[str]:
    return sorted(path.stem for path in (SHIPPED / "codes").glob("*.yaml"))


def clear_cache() -> None:
    """Forget the files read (a test or a CB that replaced a file while running)."""
    layout.cache_clear()
    code_table.cache_clear()
