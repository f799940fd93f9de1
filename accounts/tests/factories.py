import factory

from accounts.models import User
from clients.models import Client
from core.access import Role


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        django_get_or_create = ("name_zh",)

    name_zh = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Client {n} Ltd.")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.AUDITOR
    client = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.CLIENT),
        yes_declaration=factory.SubFactory(ClientFactory),
        no_declaration=None,
    )
    password = factory.django.Password("pw-for-tests-1")
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.CB_ADMIN)
