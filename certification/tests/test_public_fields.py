"""The public register shows exactly the public fields of a certificate, from one whitelist.

Every field of the Certificate model is classified here, public or private: a field added to
the model fails ``test_every_certificate_field_is_classified`` until someone decides which it
is (and a new public one must be added both here and to public_views.PUBLIC_FIELDS).
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.tests.factories import CertificationBodyFactory
from certification.models import Certificate, CertificateStatus
from certification.public_views import PUBLIC_FIELDS, SUSPENDED_LIST_FIELDS
from certification.tests.factories import CertificateFactory, ClientFactory, SiteFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the public may see (ISO/IEC 17021-1 8.1.3 / 8.2.2 and the list).
KNOWN_PUBLIC = {
    "number",
    "status",
    "status_since",
    "suspended_until",
    "holder_name_zh",
    "holder_name_en",
    "address_zh",
    "address_en",
    "standard_label",
    "scope_zh",
    "scope_en",
    "issued_on",
    "expires_on",
}
# Everything else. A probe below (or a stated waiver) checks each one never reaches the page.
KNOWN_PRIVATE = {
    "id",
    "reissue",
    "client",
    "programme",
    "standard",
    "decision",
    "main_certificate",
    "site",
    "replaces",
    "sites",
    "technical_codes",
    "year",
    "standard_code",
    "serial",
    "recertification_count",
    "size_band",
    "first_issued_on",
    "public_token",
    "created_by",
    "created_at",
    "imported",
    "imported_by",
    "imported_at",
    "import_source",
    "previous_cb",
    "previous_certificate_number",
    "transfer_reason",
    "withheld_reason",
    "released_at",
    "released_by",
}
# Private fields whose values cannot be probed as text, and why that is safe.
WAIVED = {
    "id": "a small integer; no public URL carries a pk (test_public_register checks the URL patterns)",
    "reissue": "a small integer (the current reissue is chosen, never shown)",
    "year": "a part of the number, public through the number",
    "standard_code": "a part of the number, public through the number",
    "recertification_count": "a part of the number, public through the number",
    "size_band": "a part of the number, public through the number",
    "standard": "its text is public through standard_label",
    "programme": "has no text of its own; its client is probed",
    "imported": "a flag; the register shows an imported certificate as any other",
    "imported_at": "the time of the data entry (today in the test, which the page prints anyway): not text to probe",
    "released_at": "the time of the release (today in the test, which the page prints anyway): not text to probe",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


def model_fields():
    """The Certificate's own fields (concrete columns and forward many-to-many). Reverse
    relations are other models' fields: the page cannot reach them, it gets a dict of
    whitelisted columns, never an instance."""
    meta = Certificate._meta
    return {f.name for f in meta.concrete_fields} | {f.name for f in meta.many_to_many}


def test_every_certificate_field_is_classified_public_or_private():
    unclassified = model_fields() - KNOWN_PUBLIC - KNOWN_PRIVATE
    assert not unclassified, (
        f"Certificate fields {sorted(unclassified)} are neither public nor private: add each to KNOWN_PRIVATE "
        "(and a probe) or, if the public register must show it, to KNOWN_PUBLIC and public_views.PUBLIC_FIELDS."
    )
    assert model_fields() == KNOWN_PUBLIC | KNOWN_PRIVATE, "a classified field no longer exists on the model"
    assert not KNOWN_PUBLIC & KNOWN_PRIVATE


def test_the_whitelist_holds_only_known_public_fields():
    assert set(PUBLIC_FIELDS) <= KNOWN_PUBLIC
    assert set(PUBLIC_FIELDS) == KNOWN_PUBLIC, "a public field the page does not show: drop it from KNOWN_PUBLIC"
    assert set(SUSPENDED_LIST_FIELDS) <= set(PUBLIC_FIELDS)


@pytest.fixture
def leaky_certificate():
    """A reissued sub-certificate whose every private field carries a recognisable value."""
    CertificationBodyFactory(name_zh="公开认证机构有限公司", name_en="Public Cert Body Ltd.")
    client = ClientFactory(name_zh="客户档案名称秘密甲", name_en="Client Record Secret Name")
    issuer = UserFactory(username="issuer_secret_login", full_name="签发人秘密姓名")
    site = SiteFactory(client=client, name="秘密分场所名称", address_zh="秘密分场所地址123号")
    main = CertificateFactory(client=client, number="MAINCERT-77731", holder_name_zh="公开持证人有限公司")
    first_issued = datetime.date(2001, 2, 3)
    common = {
        "client": client,
        "holder_name_zh": "公开持证人（北京）有限公司",
        "holder_name_en": "Public Holder (Beijing) Co., Ltd.",
        "address_zh": "北京市公开路8号",
        "address_en": "No. 8 Public Road, Beijing",
        "first_issued_on": first_issued,
        "issued_on": datetime.date(2024, 5, 6),
        "expires_on": datetime.date(2027, 5, 5),
        "main_certificate": main,
        "site": site,
        "number": "PUBLICNO-00042",
        "serial": 98765,
        "technical_codes": "88.77.66",
        "created_by": issuer,
        "imported": True,
        "imported_by": issuer,
        "import_source": "秘密导入来源档案",
        "sites": [{"name": "秘密站点JSON", "address_zh": "秘密JSON地址", "address_en": "Secret JSON address"}],
        "previous_cb": "前认证机构秘密名称",
        "previous_certificate_number": "PREVCERT-55501",
        "transfer_reason": "转机构原因秘密",
        # Withheld until the certificate fee was paid, then released: the register shows it.
        "withheld_reason": "扣发原因秘密",
        "released_at": timezone.now(),
        "released_by": UserFactory(username="releaser_secret_login", full_name="放行人秘密姓名"),
    }
    old = CertificateFactory(
        **common,
        reissue=0,
        scope_zh="旧范围秘密文本",
        scope_en="Old scope secret text",
        status=CertificateStatus.CANCELLED,
    )
    certificate = CertificateFactory(
        **common,
        reissue=1,
        replaces=old,
        scope_zh="公开认证范围：软件开发",
        scope_en="Public scope: software development",
        status=CertificateStatus.SUSPENDED,
        status_since=datetime.date(2025, 1, 2),
        suspended_until=datetime.date(2025, 7, 1),
    )
    certificate.decision.evaluation_remarks = "决定评定备注秘密"
    certificate.decision.save()
    return certificate


def _probes(cert):
    """Recognisable text of each private field that must never reach the page."""
    return {
        "client": [cert.client.name_zh, cert.client.name_en],
        "decision": [cert.decision.evaluation_remarks, cert.decision.approved_by.username],
        "main_certificate": [cert.main_certificate.number],
        "site": [cert.site.name, cert.site.address_zh],
        "replaces": [cert.replaces.scope_zh, cert.replaces.scope_en],
        "sites": ["秘密站点JSON", "秘密JSON地址", "Secret JSON address"],
        "technical_codes": [cert.technical_codes],
        "serial": [str(cert.serial)],
        "first_issued_on": [cert.first_issued_on.isoformat(), "2001"],
        "public_token": [cert.public_token],
        "created_by": [cert.created_by.username, cert.created_by.full_name],
        "created_at": [f"{cert.created_at:%Y-%m-%d}"],
        "imported_by": [cert.imported_by.username, cert.imported_by.full_name],
        "import_source": [cert.import_source],
        "previous_cb": [cert.previous_cb],
        "previous_certificate_number": [cert.previous_certificate_number],
        "transfer_reason": [cert.transfer_reason],
        "withheld_reason": [cert.withheld_reason],
        "released_by": [cert.released_by.username, cert.released_by.full_name],
    }


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_every_private_field_is_probed_or_waived(leaky_certificate):
    assert set(_probes(leaky_certificate)) | set(WAIVED) == KNOWN_PRIVATE


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lookup_page_shows_the_public_fields_and_nothing_private(client, leaky_certificate, language):
    cert = leaky_certificate
    response = client.get(
        reverse("verify:lookup"), {"number": cert.number, "holder": cert.holder_name_en}, HTTP_ACCEPT_LANGUAGE=language
    )
    html = _without_csrf(response.content.decode())
    assert response.context["certificate"]["number"] == cert.number
    for text in (
        cert.number,
        cert.holder_name_zh,
        cert.holder_name_en,
        cert.address_zh,
        cert.address_en,
        cert.standard_label,
        cert.scope_zh,
        cert.scope_en,
        "2024-05-06",
        "2027-05-05",
        "2025-01-02",
        "2025-07-01",
        "02",
        "公开认证机构有限公司" if language == "zh-hans" else "Public Cert Body Ltd.",
    ):
        assert text in html, text
    for field, texts in _probes(cert).items():
        for text in texts:
            assert text not in html, f"private field {field} leaks: {text!r}"


def test_token_page_shows_the_public_fields_and_nothing_private(client, leaky_certificate):
    cert = leaky_certificate
    url = reverse("verify:token", kwargs={"token": cert.public_token})
    html = _without_csrf(client.get(url).content.decode())
    assert cert.scope_zh in html and cert.holder_name_zh in html
    for field, texts in _probes(cert).items():
        for text in texts:
            if field == "public_token":
                # The visitor's own URL (the language form sends them back to it) and nowhere else.
                assert html.count(text) == html.count(url), "the token appears beyond the page's own URL"
                continue
            assert text not in html, f"private field {field} leaks: {text!r}"


def test_the_page_gets_a_dict_of_public_values_not_a_certificate(client, leaky_certificate):
    response = client.get(reverse("verify:token", kwargs={"token": leaky_certificate.public_token}))
    shown = response.context["certificate"]
    assert isinstance(shown, dict)
    for value in shown.values():
        assert not hasattr(value, "_meta"), "a model instance reached the template"
    assert not any(
        isinstance(value, Certificate) for context in response.context for value in context.flatten().values()
    )


def test_public_queries_read_only_whitelisted_columns(client, leaky_certificate):
    private_columns = {Certificate._meta.get_field(name).column for name in KNOWN_PRIVATE} - {"id"}
    with CaptureQueriesContext(connection) as queries:
        client.get(
            reverse("verify:lookup"), {"number": leaky_certificate.number, "holder": leaky_certificate.holder_name_zh}
        )
        client.get(reverse("verify:token", kwargs={"token": leaky_certificate.public_token}))
        client.get(reverse("verify:suspended"))
    table = Certificate._meta.db_table
    selects = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(selects) == 3
    for sql in selects:
        selected = sql.split(f'FROM "{table}"')[0]
        read = {column for column in private_columns if f'"{table}"."{column}"' in selected}
        assert not read, f"a public query reads private columns {read}: {sql}"
