"""The top bar groups related pages into drop-downs so it stays one line for every role."""

import pytest
from django.urls import reverse

from core.access import Role
from core.navigation import GROUP_CERTIFICATION

pytestmark = pytest.mark.django_db


def _top_bar(client, user):
    client.force_login(user)
    return client.get(reverse("accounts:home")).context["nav_entries"]


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE, Role.CLIENT])
def test_the_top_bar_has_at_most_six_entries_for_every_role(client, user_of_role, role):
    assert len(_top_bar(client, user_of_role(role))) <= 6


def test_committee_finds_the_certificates_under_certification(client, user_of_role):
    entries = {str(entry.label): entry for entry in _top_bar(client, user_of_role(Role.COMMITTEE))}
    urls = [url for _item, url in entries[str(GROUP_CERTIFICATION)].items]
    assert reverse("certification:dashboard") in urls and reverse("certification:certificate_list") in urls


def test_a_group_with_one_item_for_the_user_is_a_plain_link(client, user_of_role):
    entries = _top_bar(client, user_of_role(Role.CLIENT))
    issued = [entry for entry in entries if entry.url == reverse("reports:issued_list")]
    assert len(issued) == 1 and issued[0].items == []


def test_the_entry_holding_the_current_page_is_active(client, user_of_role):
    client.force_login(user_of_role(Role.COMMITTEE))
    entries = client.get(reverse("certification:certificate_list")).context["nav_entries"]
    assert [str(entry.label) for entry in entries if entry.active] == [str(GROUP_CERTIFICATION)]
