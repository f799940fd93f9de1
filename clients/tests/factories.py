"""Factories for clients and the reference data they point to (standards, clauses, codes)."""

import datetime
import io

import factory

from accounts.tests.factories import UserFactory  # noqa: F401 (re-exported)
from clients.models import (
    Client,
    ClientDocument,
    ClientScope,
    Department,
    DocumentKind,
    Responsibility,
    ResponsibilityRole,
    Site,
    SiteKind,
)
from standards.models import Clause, Standard, TechnicalArea


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        django_get_or_create = ("name_zh",)

    name_zh = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Client {n} Ltd.")


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("code", "edition")

    code = "ISO 9001"
    edition = "2015"
    national_equivalent = "GB/T 19001-2016"
    title_zh = "质量管理体系 要求"
    title_en = "Quality management systems — Requirements"
    family = "QMS"


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause
        django_get_or_create = ("standard", "number")

    standard = factory.SubFactory(StandardFactory)
    number = factory.Sequence(lambda n: f"{4 + n // 10}.{n % 10 + 1}")
    title_zh = factory.LazyAttribute(lambda o: f"条款{o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Clause {o.number}")


class TechnicalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalArea
        django_get_or_create = ("code",)

    code = "33.02.01"
    title_zh = factory.LazyAttribute(lambda o: f"代码{o.code}")
    title_en = factory.LazyAttribute(lambda o: f"Code {o.code}")


def technical_area(code):
    """The code and its ancestors (33 → 33.02 → 33.02.01), parents linked."""
    parent = None
    parts = code.split(".")
    for i in range(1, len(parts) + 1):
        parent = TechnicalAreaFactory(code=".".join(parts[:i]), parent=parent)
    return parent


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    client = factory.SubFactory(ClientFactory)
    kind = SiteKind.OPERATING
    address_zh = factory.Sequence(lambda n: f"北京市朝阳区测试路{n}号")


class ClientScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientScope

    client = factory.SubFactory(ClientFactory)
    standard = factory.SubFactory(StandardFactory)
    scope_zh = "基础软件服务"
    scope_en = "Basic software services"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    client = factory.SubFactory(ClientFactory)
    name_zh = factory.Sequence(lambda n: f"部门{n}")
    order = factory.Sequence(lambda n: n)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    department = factory.SubFactory(DepartmentFactory)
    clause = factory.SubFactory(ClauseFactory)
    role = ResponsibilityRole.OWNER


def _pdf_bytes():
    """A real one-page PDF: uploads are parsed, not only sniffed (clients/uploads.py)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image_bytes(fmt):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PDF_BYTES = _pdf_bytes()
PNG_BYTES = _image_bytes("PNG")
JPG_BYTES = _image_bytes("JPEG")


class ClientDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientDocument

    client = factory.SubFactory(ClientFactory)
    kind = DocumentKind.MANUAL
    title = "管理手册"
    file = factory.django.FileField(filename="manual.pdf", data=PDF_BYTES)
    original_name = "manual.pdf"
    size = len(PDF_BYTES)
    content_type = "application/pdf"


def full_client(**kwargs):
    """A client with every part-四 field filled, one scope, one site, one department."""
    defaults = {
        "headcount": 15,
        "legal_representative": "段进生",
        "top_management": "段进生",
        "ms_contact": "付微",
        "contact_name": "吴瑶",
        "contact_phone": "15711433118",
        "system_implemented_on": datetime.date(2019, 5, 20),
    }
    defaults.update(kwargs)
    client = ClientFactory(**defaults)
    ClientScopeFactory(client=client)
    SiteFactory(client=client, kind=SiteKind.REGISTERED)
    DepartmentFactory(client=client, name_zh="管理层")
    client.technical_areas.add(technical_area("33.02.01"))
    return client
