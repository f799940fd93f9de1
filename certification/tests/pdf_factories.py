"""Test data for the certificate PDFs, on C1's factories (certification/tests/factories.py)."""

import datetime
import io

import pypdf

from accounts.tests.factories import UserFactory
from audits.tests.factories import CertificationBodyFactory
from clients.tests.factories import ClientFactory
from core.access import Role
from core.issued import VersionKind

from .factories import CertificateFactory, approver_user  # noqa: F401 (re-exported)

SEED_HOLDER_ZH = "中食互联（北京）科技有限公司"
SEED_HOLDER_EN = "Zhongshi Hulian (Beijing) Technology Co., Ltd."
SEED_SCOPE_ZH = "基础软件服务"
SEED_SCOPE_EN = "Basic software services"


def seed_cb():
    """The seed's CB (北京国标联合认证有限公司) with an accreditation text and CB code."""
    return CertificationBodyFactory(
        name_zh="北京国标联合认证有限公司",
        name_en="Beijing Guobiao Joint Certification Co., Ltd.",
        address_zh="北京市朝阳区北苑路168号1号楼16层1603",
        address_en="Room 1603, Building 1, No. 168 Beiyuan Road, Chaoyang District, Beijing",
        website="www.china-isc.org.cn",
        cb_code="069",
        accreditation_zh="中国合格评定国家认可委员会认可 CNAS C069-M",
        accreditation_en="Accredited by CNAS (China National Accreditation Service for Conformity Assessment), C069-M",
    )


def seed_certificate(**kwargs):
    """A certificate like the one the seed audit leads to (QMS, 15 people, 33.02.01)."""
    seed_cb()
    client = kwargs.pop("client", None) or ClientFactory(name_zh=SEED_HOLDER_ZH, name_en=SEED_HOLDER_EN, headcount=15)
    values = {
        "client": client,
        "issued_on": datetime.date(2020, 2, 10),
        "address_zh": "北京市房山区良乡凯旋大街建设路18号-D5689",
        "address_en": "D5689, No. 18 Jianshe Road, Kaixuan Street, Liangxiang, Fangshan District, Beijing",
        "sites": [
            {
                "name": "",
                "address_zh": "北京市朝阳区东土城路8号林达大厦A座14E",
                "address_en": "14E, Tower A, Linda Building, No. 8 Dongtucheng Road, Chaoyang District, Beijing",
            }
        ],
        "scope_zh": SEED_SCOPE_ZH,
        "scope_en": SEED_SCOPE_EN,
        "technical_codes": "33.02.01",
    }
    values.update(kwargs)
    return CertificateFactory(**values)


def cb_admin():
    return UserFactory(role=Role.CB_ADMIN)


def client_user(client):
    return UserFactory(role=Role.CLIENT, client=client)


def fake_render_pdf(**kwargs):
    """The report tests' stand-in for the PDF engine (the template is rendered, WeasyPrint is not)."""
    from reports.tests.version_factories import fake_render_pdf as fake

    return fake(**kwargs)


def issue_now(certificate, *, language="zh-hans", by=None, replace=False):
    from certification.certificate_pdfs import services as pdf_services

    return pdf_services.certificate_pdf_render(
        certificate=certificate, language=language, kind=VersionKind.ISSUED, by=by, replace=replace
    )


def draft_now(certificate, *, language="zh-hans", by=None):
    from certification.certificate_pdfs import services as pdf_services

    return pdf_services.certificate_pdf_render(
        certificate=certificate, language=language, kind=VersionKind.DRAFT, by=by
    )


def file_bytes(version):
    with version.file.open("rb") as handle:
        return handle.read()


def pdf_reader(pdf: bytes):
    return pypdf.PdfReader(io.BytesIO(pdf))
