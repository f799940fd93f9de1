import factory

from standards.models import Clause, Standard, TechnicalArea


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("code", "edition")

    code = factory.Sequence(lambda n: f"ISO {50000 + n}")
    edition = "2018"
    national_equivalent = ""
    title_zh = factory.LazyAttribute(lambda o: f"{o.code} 测试标准")
    title_en = factory.LazyAttribute(lambda o: f"{o.code} test standard")
    family = "ENMS"


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause
        django_get_or_create = ("standard", "number")

    standard = factory.SubFactory(StandardFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title_zh = factory.LazyAttribute(lambda o: f"条款{o.number}")
    title_en = factory.LazyAttribute(lambda o: f"Clause {o.number}")


class TechnicalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalArea
        django_get_or_create = ("code",)

    code = "33"
    title_zh = factory.LazyAttribute(lambda o: f"代码{o.code}")
    title_en = factory.LazyAttribute(lambda o: f"Code {o.code}")
