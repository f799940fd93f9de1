"""The read helpers the audits app builds teams with: conflicts, qualifications, code coverage."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory, technical_area
from core.access import Role
from people.models import AuditorProfile, QualificationLevel
from people.rules import consulting_conflict_until
from people.selectors import (
    auditor_covers_codes,
    auditor_has_conflict,
    auditor_qualified_for,
    code_covers,
)
from people.services import auditor_profile_save, conflict_declare
from people.tests.factories import AuditorProfileFactory, ConflictOfInterestFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


D = datetime.date


# --- conflicts of interest -------------------------------------------------------------------


def test_conflict_with_the_client_is_found_until_its_end_date_inclusive():
    conflict = ConflictOfInterestFactory(until=D(2021, 6, 30))
    kw = {"profile": conflict.profile, "client": conflict.client}
    assert auditor_has_conflict(**kw, on_date=D(2020, 1, 8)) == conflict
    assert auditor_has_conflict(**kw, on_date=D(2021, 6, 30)) == conflict
    assert auditor_has_conflict(**kw, on_date=D(2021, 7, 1)) is None


def test_conflict_without_end_date_never_ends():
    conflict = ConflictOfInterestFactory(until=None)
    assert auditor_has_conflict(profile=conflict.profile, client=conflict.client, on_date=D(2099, 1, 1)) == conflict


def test_conflict_with_another_client_does_not_count():
    conflict = ConflictOfInterestFactory(until=None)
    assert auditor_has_conflict(profile=conflict.profile, client=ClientFactory(), on_date=D(2020, 1, 1)) is None


def test_conflict_of_another_auditor_does_not_count():
    conflict = ConflictOfInterestFactory(until=None)
    other = AuditorProfileFactory()
    assert auditor_has_conflict(profile=other, client=conflict.client, on_date=D(2020, 1, 1)) is None


def test_consulting_within_two_years_is_a_conflict_ending_two_years_after_consulting():
    profile = AuditorProfileFactory()
    client = ClientFactory()
    conflict = conflict_declare(
        profile=profile,
        client=client,
        description="2018年为该客户提供体系咨询",
        declared_on=D(2019, 3, 1),
        consulting_ended_on=D(2018, 12, 31),
    )
    assert conflict.until == D(2020, 12, 31)
    assert auditor_has_conflict(profile=profile, client=client, on_date=D(2020, 1, 8)) == conflict
    assert auditor_has_conflict(profile=profile, client=client, on_date=D(2021, 1, 1)) is None


def test_consulting_ending_on_29_february_ends_on_28_february():
    assert consulting_conflict_until(D(2020, 2, 29)) == D(2022, 2, 28)


# --- qualifications --------------------------------------------------------------------------


def test_lead_auditor_is_qualified_as_lead_and_as_auditor_in_that_family_only():
    q = QualificationFactory(family="QMS", level=QualificationLevel.LEAD_AUDITOR)
    p = q.profile
    assert auditor_qualified_for(profile=p, family="QMS")
    assert auditor_qualified_for(profile=p, family="QMS", level="lead_auditor")
    assert auditor_qualified_for(profile=p, family="QMS", level="auditor")
    assert not auditor_qualified_for(profile=p, family="QMS", level="technical_expert")
    assert not auditor_qualified_for(profile=p, family="EMS")


def test_auditor_is_not_qualified_to_lead():
    q = QualificationFactory(level=QualificationLevel.AUDITOR)
    assert auditor_qualified_for(profile=q.profile, family="QMS")
    assert not auditor_qualified_for(profile=q.profile, family="QMS", level="lead_auditor")


def test_technical_expert_does_not_audit():
    q = QualificationFactory(level=QualificationLevel.TECHNICAL_EXPERT)
    assert not auditor_qualified_for(profile=q.profile, family="QMS")
    assert auditor_qualified_for(profile=q.profile, family="QMS", level="technical_expert")


def test_qualification_counts_only_within_its_validity():
    q = QualificationFactory(valid_from=D(2018, 1, 1), valid_until=D(2020, 12, 31))
    assert not auditor_qualified_for(profile=q.profile, family="QMS", on_date=D(2017, 12, 31))
    assert auditor_qualified_for(profile=q.profile, family="QMS", on_date=D(2020, 12, 31))
    assert not auditor_qualified_for(profile=q.profile, family="QMS", on_date=D(2021, 1, 1))


def test_inactive_profile_is_qualified_for_nothing():
    q = QualificationFactory(profile=AuditorProfileFactory(active=False))
    assert not auditor_qualified_for(profile=q.profile, family="QMS")


# --- technical-area codes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "competence,required,covered",
    [
        ("33.02.01", "33.02.01", True),
        ("33.02", "33.02.01", True),
        ("33", "33.02.01", True),
        ("33.01", "33.02.01", False),
        ("33.02.01", "33.02", False),
        ("3", "33.02.01", False),
        ("33.0", "33.02.01", False),
    ],
)
def test_code_covers(competence, required, covered):
    assert code_covers(competence, required) is covered
    assert technical_area(competence).covers(technical_area(required)) is covered


@pytest.mark.parametrize("competence", ["33.02", "33", "33.02.01"])
def test_team_with_parent_competence_covers_the_client_code(competence):
    profile = AuditorProfileFactory()
    profile.technical_areas.add(technical_area(competence))
    assert auditor_covers_codes(profiles=[profile], codes=["33.02.01"]) == set()


def test_team_with_sibling_competence_leaves_the_code_uncovered():
    profile = AuditorProfileFactory()
    profile.technical_areas.add(technical_area("33.01"))
    assert auditor_covers_codes(profiles=[profile], codes=["33.02.01", technical_area("33.01.05")]) == {"33.02.01"}


def test_codes_are_covered_by_the_team_together():
    a, b = AuditorProfileFactory(), AuditorProfileFactory()
    a.technical_areas.add(technical_area("33.02"))
    b.technical_areas.add(technical_area("19"))
    assert auditor_covers_codes(profiles=[a, b], codes=["33.02.01", "19.05", "29.01"]) == {"29.01"}
    assert auditor_covers_codes(profiles=[a], codes=["33.02.01", "19.05"]) == {"19.05"}


def test_inactive_profiles_cover_nothing():
    profile = AuditorProfileFactory(active=False)
    profile.technical_areas.add(technical_area("33"))
    assert auditor_covers_codes(profiles=[profile], codes=["33.02.01"]) == {"33.02.01"}


def test_code_coverage_takes_one_query_whatever_the_team_size(django_assert_num_queries):
    profiles = [AuditorProfileFactory() for _ in range(5)]
    for p in profiles:
        p.technical_areas.add(technical_area("33.02"))
    with django_assert_num_queries(1):
        auditor_covers_codes(profiles=profiles[:2], codes=["33.02.01"])
    with django_assert_num_queries(1):
        auditor_covers_codes(profiles=profiles, codes=["33.02.01"])


def test_no_codes_required_means_nothing_uncovered(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert auditor_covers_codes(profiles=[], codes=[]) == set()


# --- profile rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER])
def test_auditors_and_team_leaders_may_have_a_profile(role):
    user = UserFactory(role=role)
    profile = auditor_profile_save(
        profile=AuditorProfile(user=user, registration_number="2018-N1QMS-2205805", gender="female")
    )
    assert user.auditor_profile == profile


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.COMMITTEE, Role.CLIENT])
def test_other_roles_may_not_have_an_auditor_profile(role):
    user = UserFactory(role=role)
    with pytest.raises(ValidationError, match="Only auditors and team leaders"):
        auditor_profile_save(profile=AuditorProfile(user=user, registration_number="2018-N1QMS-2205805", gender="male"))
    assert not AuditorProfile.objects.exists()


@pytest.mark.parametrize("number", ["2018-N1QMS-2205805", "2017-N2EMS-1234567", "2020-N1OHSMS-0012345"])
def test_registration_number_in_ccaa_format_is_accepted(number):
    profile = AuditorProfile(user=UserFactory(), registration_number=number, gender="male")
    saved = auditor_profile_save(profile=profile)
    assert AuditorProfile.objects.get(pk=saved.pk).registration_number == number


@pytest.mark.parametrize("number", ["N1QMS-2205805", "2018-N1QMS", "2018 N1QMS 2205805", "2018-n1qms-2205805", "abc"])
def test_registration_number_in_another_format_is_refused(number):
    profile = AuditorProfile(user=UserFactory(), registration_number=number, gender="male")
    with pytest.raises(ValidationError, match="2018-N1QMS-2205805"):
        auditor_profile_save(profile=profile)


def test_registration_number_is_unique():
    AuditorProfileFactory(registration_number="2018-N1QMS-2205805")
    with pytest.raises(ValidationError):
        auditor_profile_save(
            profile=AuditorProfile(user=UserFactory(), registration_number="2018-N1QMS-2205805", gender="male")
        )


def test_one_qualification_per_family():
    q = QualificationFactory(family="QMS")
    from people.models import Qualification

    dup = Qualification(profile=q.profile, family="QMS", level="auditor", valid_from=D(2019, 1, 1))
    with pytest.raises(ValidationError):
        dup.full_clean()


def test_qualification_family_must_be_a_management_system_family():
    from people.models import Qualification

    q = Qualification(profile=AuditorProfileFactory(), family="XYZ", level="auditor", valid_from=D(2019, 1, 1))
    with pytest.raises(ValidationError, match="QMS, EMS or OHSMS"):
        q.full_clean()


def test_qualification_cannot_end_before_it_starts():
    from people.models import Qualification

    q = Qualification(
        profile=AuditorProfileFactory(),
        family="QMS",
        level="auditor",
        valid_from=D(2019, 1, 1),
        valid_until=D(2018, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot be before"):
        q.full_clean()


def test_profile_changes_are_recorded_in_history():
    profile = AuditorProfileFactory()
    editor = UserFactory(role=Role.CB_ADMIN)
    profile.active = False
    auditor_profile_save(profile=profile, by=editor)
    last = profile.history.latest()
    assert last.active is False and last.history_user == editor
