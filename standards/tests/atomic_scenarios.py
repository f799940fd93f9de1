"""The standards catalogue's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

from core.tests.atomicity import scenarios
from standards import services
from standards.models import CatalogueImport, Standard

NEW_STANDARD = """\
standard:
  code: "ISO 50001"
  edition: "2018"
  national_equivalent: "GB/T 23331-2020"
  title_zh: "能源管理体系 要求及使用指南"
  title_en: "Energy management systems — Requirements with guidance for use"
  family: ENMS
  retired: false
clauses:
  - {number: "4", title_zh: "组织环境", title_en: "Context of the organization"}
  - {number: "4.1", title_zh: "理解组织及其环境", title_en: "Understanding the organization and its context"}
"""

NEW_AREAS = """\
codes:
  - {code: "19.01", title_zh: "电子元器件", title_en: "Electronic components"}
  - {code: "19.01.01", title_zh: "电子元件", title_en: "Electronic parts", provisional: true}
"""

READS: dict[str, str] = {}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def scenario_standard_import():
    return lambda: services.standard_import(files=[("iso50001.yaml", NEW_STANDARD.encode())], by="tester")


def scenario_technical_areas_import():
    return lambda: services.technical_areas_import(name="areas.yaml", raw=NEW_AREAS.encode(), by="tester")


def scenario_catalogue_load_shipped():
    # An upgrade: one shipped standard went missing, another shipped file changed — two files
    # to apply, so a failure in the second must take the first back too.
    Standard.objects.get(code="GB/T 28001").delete()
    CatalogueImport.objects.filter(key="ISO 9001:2015", source="shipped").update(sha256="0" * 64)
    return lambda: services.catalogue_load_shipped(by="tester")


SCENARIOS = scenarios(globals())
