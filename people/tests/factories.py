"""Factories for auditor profiles, qualifications and conflicts of interest."""

import datetime

import factory

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory
from core.access import Role
from people.models import AuditorProfile, ConflictOfInterest, Qualification, QualificationLevel


class AuditorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditorProfile

    user = factory.SubFactory(UserFactory, role=Role.AUDITOR)
    registration_number = factory.Sequence(lambda n: f"2018-N1QMS-{2200000 + n:07d}")
    gender = "female"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    profile = factory.SubFactory(AuditorProfileFactory)
    family = "QMS"
    level = QualificationLevel.AUDITOR
    valid_from = datetime.date(2018, 1, 1)


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    profile = factory.SubFactory(AuditorProfileFactory)
    client = factory.SubFactory(ClientFactory)
    description = "曾为该客户提供咨询"
    declared_on = datetime.date(2019, 1, 1)
