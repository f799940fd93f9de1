import factory

from accounts.models import User
from core.access import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.AUDITOR
    client = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.CLIENT),
        # clients sits above accounts: the factory is named by path, as the model names "clients.Client".
        yes_declaration=factory.SubFactory("clients.tests.factories.ClientFactory"),
        no_declaration=None,
    )
    password = factory.django.Password("pw-for-tests-1")
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.CB_ADMIN)
