"""Standards and technical areas as data files: parse (``parsing``), validate, apply (``applying``),
export (``exporting``); the schema's limits, problems and parsed data are in ``data``.

File schema (YAML; JSON with the same keys is accepted too) — documented for CBs in the README:

    standard:                        # one standard per file
      code: "ISO 9001"               # required, with edition the identity of the standard
      edition: "2015"                # required (quote it)
      national_equivalent: "GB/T 19001-2016"   # optional
      title_zh: "质量管理体系 要求"      # required
      title_en: "Quality management systems — Requirements"   # required
      family: QMS                    # required: QMS, EMS, OHSMS or another short upper-case code
      retired: false                 # optional, default false
    clauses:                         # required, non-empty, in document order, parents first
      - number: "8.4.1"              # "1", "8.4", "8.4.1" …; annexes "A", "A.5.1"
        title_zh: "总则"
        title_en: "General"

    sectors:                         # technical-areas file: IAF sectors "1".."99"
      - {code: "33", title_zh: "信息技术", title_en: "Information technology"}
    codes:                           # national codes "SS.GG" and "SS.GG.NN", parents first
      - {code: "33.02", title_zh: "…", title_en: "…", provisional: true}

Parsing works on the YAML node tree (``yaml.compose``) so every problem is reported with the
line it is on. Nothing is written unless the whole file is valid; applying happens in one
transaction and either completes or leaves the database as it was.

The apply functions take the model classes as an argument so the data migration can run them
with the historical models (they compute ``sort_key``/``depth`` themselves rather than relying on
``Clause.save``) and touch only the fields listed in this module.
"""

from .applying import (
    ImportResult,
    apply_standard,
    apply_technical_areas,
    historical_models,
    real_models,
)
from .data import (
    AREA_CODE_RE,
    AREA_OPTIONAL,
    AREA_REQUIRED,
    CLAUSE_KEYS,
    EDITION_RE,
    FAMILY_RE,
    MAX_CODE,
    MAX_EDITION,
    MAX_FAMILY,
    MAX_NATIONAL,
    MAX_NUMBER,
    MAX_PROBLEMS,
    MAX_TITLE,
    NUMBER_RE,
    SECTOR_RE,
    STANDARD_OPTIONAL,
    STANDARD_REQUIRED,
    AreaData,
    DataFileError,
    ImportRefused,
    Problem,
    StandardData,
    area_parent_code,
    parent_number,
    sha256_of,
)
from .exporting import (
    area_data_from_db,
    dump_standard,
    dump_technical_areas,
    export_standard,
    standard_data_from_db,
)
from .parsing import (
    file_kind,
    parse_standard,
    parse_technical_areas,
)

__all__ = [
    "AREA_CODE_RE",
    "AREA_OPTIONAL",
    "AREA_REQUIRED",
    "CLAUSE_KEYS",
    "EDITION_RE",
    "FAMILY_RE",
    "MAX_CODE",
    "MAX_EDITION",
    "MAX_FAMILY",
    "MAX_NATIONAL",
    "MAX_NUMBER",
    "MAX_PROBLEMS",
    "MAX_TITLE",
    "NUMBER_RE",
    "SECTOR_RE",
    "STANDARD_OPTIONAL",
    "STANDARD_REQUIRED",
    "AreaData",
    "DataFileError",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "StandardData",
    "apply_standard",
    "apply_technical_areas",
    "area_data_from_db",
    "area_parent_code",
    "dump_standard",
    "dump_technical_areas",
    "export_standard",
    "file_kind",
    "historical_models",
    "parent_number",
    "parse_standard",
    "parse_technical_areas",
    "real_models",
    "sha256_of",
    "standard_data_from_db",
]
