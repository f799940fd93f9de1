"""The public certificate register: lookups by number and holder, the QR code's token page,
uniform misses, no listing, headers, languages, and the suspension and withdrawal list."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from audits.tests.factories import CertificationBodyFactory
from certification.models import CertificateStatus
from certification.tests.factories import CertificateFactory, ClientFactory, iso14001

pytestmark = pytest.mark.django_db

MISS_TEXT = "No certificate matches"
VERIFY_TEMPLATE = "certification/public/verify.html"


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/verify/"})
    return client


def make_certificate(**kwargs):
    kwargs.setdefault("holder_name_zh", "北京测试（中国）科技有限公司")
    kwargs.setdefault("holder_name_en", "Beijing Test (China) Technology Co., Ltd.")
    return CertificateFactory(**kwargs)


def set_status(cert, status, since, suspended_until=None):
    """A status change as the services make it (only the status fields of a stored certificate
    may change)."""
    cert.status, cert.status_since, cert.suspended_until = status, since, suspended_until
    cert.save(update_fields=["status", "status_since", "suspended_until"])
    return cert


def lookup(client, number, holder, **extra):
    return client.get(reverse("verify:lookup"), {"number": number, "holder": holder}, **extra)


def shown(response):
    return response.context["certificate"]


def normalised(response):
    """The page with what differs between any two requests removed: the CSRF token of the
    language form, the values echoed into the form, the request's own path."""
    html = response.content.decode()
    html = re.sub(r'value="[^"]*"', 'value=""', html)
    return html.replace(response.wsgi_request.get_full_path(), "")


# --- Lookup by number and holder ------------------------------------------------------------


def test_number_and_chinese_holder_show_the_certificate(client):
    cert = make_certificate()
    response = lookup(client, cert.number, cert.holder_name_zh)
    assert response.status_code == 200
    assert shown(response)["number"] == cert.number
    assert MISS_TEXT not in response.content.decode() and "没有匹配" not in response.content.decode()


def test_number_and_english_holder_show_the_certificate(client):
    cert = make_certificate()
    assert shown(lookup(client, cert.number, cert.holder_name_en))["number"] == cert.number


@pytest.mark.parametrize(
    "holder",
    [
        "北京测试(中国)科技有限公司",  # half-width parentheses for full-width ones
        "  北京测试（中国）科技有限公司  ",  # spaces around
        "beijing test (china) technology co., ltd.",  # Latin case
        "BEIJING   TEST （CHINA） TECHNOLOGY  CO.,  LTD.",  # collapsed spaces, full-width parentheses
        "Ｂｅｉｊｉｎｇ Ｔｅｓｔ (China) Technology Co., Ltd.",  # full-width Latin letters
    ],
)
def test_holder_is_compared_normalised(client, holder):
    cert = make_certificate()
    assert shown(lookup(client, cert.number, holder))["number"] == cert.number


@pytest.mark.parametrize(
    "transform",
    [
        str.lower,
        lambda n: f"  {n[:5]} {n[5:]} ",
        lambda n: n.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}),
    ],
)
def test_number_tolerates_case_spaces_and_full_width_digits(client, transform):
    cert = make_certificate()
    assert shown(lookup(client, transform(cert.number), cert.holder_name_zh))["number"] == cert.number


def test_holder_must_match_exactly_not_partly(client):
    cert = make_certificate()
    for holder in ["北京测试", "科技有限公司", "Beijing Test", "%", "*", cert.holder_name_zh + "分公司"]:
        response = lookup(client, cert.number, holder)
        assert shown(response) is None, holder


def test_a_prefix_or_wildcard_number_matches_nothing(client):
    cert = make_certificate()
    for number in [cert.number[:-1], cert.number[:5], "%", "_" * len(cert.number), ".*"]:
        assert shown(lookup(client, number, cert.holder_name_zh)) is None, number


def test_another_holders_name_does_not_open_a_certificate(client):
    cert = make_certificate()
    other = make_certificate(client=ClientFactory(), holder_name_zh="另一家公司", holder_name_en="Another Company")
    assert shown(lookup(client, cert.number, other.holder_name_zh)) is None


def test_the_current_reissue_of_a_number_is_shown(client):
    first = make_certificate(scope_zh="原范围", scope_en="Original scope")
    set_status(first, CertificateStatus.CANCELLED, first.issued_on + datetime.timedelta(days=10))
    reissue = make_certificate(
        client=first.client,
        number=first.number,
        reissue=1,
        replaces=first,
        serial=first.serial,
        scope_zh="扩大后的范围",
        scope_en="Extended scope",
    )
    page = shown(lookup(client, first.number, first.holder_name_zh))
    assert page["scope_zh"] == reissue.scope_zh
    assert page["status_code"] == CertificateStatus.VALID


def test_a_renewed_number_shows_as_cancelled(client):
    """After a renewal the old number's certificate is replaced by a new number: the old one
    still answers, with its status 04 and date, so a holder of the old paper learns it ended."""
    old = make_certificate()
    changed_on = timezone.localdate() - datetime.timedelta(days=3)
    set_status(old, CertificateStatus.CANCELLED, changed_on)
    make_certificate(client=old.client, replaces=old, recertification_count=1)
    page = shown(lookup(client, old.number, old.holder_name_zh))
    assert (page["status_code"], page["status_changed_on"]) == ("04", changed_on)


# --- The QR code's token page ---------------------------------------------------------------


def test_token_opens_its_certificate(client):
    cert = make_certificate()
    response = client.get(reverse("verify:token", kwargs={"token": cert.public_token}))
    assert response.status_code == 200
    assert shown(response)["number"] == cert.number
    assert cert.holder_name_zh in response.content.decode()


def test_token_of_a_replaced_certificate_shows_it_replaced(client):
    first = make_certificate()
    set_status(first, CertificateStatus.CANCELLED, first.issued_on + datetime.timedelta(days=5))
    make_certificate(client=first.client, number=first.number, reissue=1, replaces=first, serial=first.serial)
    response = client.get(reverse("verify:token", kwargs={"token": first.public_token}))
    assert shown(response)["status_code"] == CertificateStatus.CANCELLED


def test_tokens_are_unguessable():
    tokens = {make_certificate(client=ClientFactory()).public_token for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)


def test_token_url_is_the_qr_codes_url():
    cert = make_certificate()
    assert reverse("verify:token", kwargs={"token": cert.public_token}) == f"/verify/{cert.public_token}/"


# --- Status ---------------------------------------------------------------------------------


def test_valid_certificate_shows_status_01(english):
    cert = make_certificate()
    response = english.get(reverse("verify:token", kwargs={"token": cert.public_token}))
    html = response.content.decode()
    assert "01 Valid" in html
    assert shown(response)["status_changed_on"] is None
    assert "not valid at present" not in html


def test_suspension_shows_code_date_and_end(english):
    cert = make_certificate()
    set_status(cert, CertificateStatus.SUSPENDED, datetime.date(2030, 1, 15), datetime.date(2030, 7, 14))
    html = english.get(reverse("verify:token", kwargs={"token": cert.public_token})).content.decode()
    assert "02 Suspended" in html
    assert "since 2030-01-15" in html
    assert "suspended until 2030-07-14" in html
    assert "not valid at present" in html


def test_withdrawal_shows_code_and_date_in_chinese(client):
    cert = make_certificate()
    set_status(cert, CertificateStatus.WITHDRAWN, datetime.date(2030, 2, 1))
    html = client.get(reverse("verify:token", kwargs={"token": cert.public_token})).content.decode()
    assert "03 撤销" in html
    assert "2030-02-01" in html


# --- Misses answer the same way -------------------------------------------------------------


def test_a_miss_is_the_same_whether_the_number_exists_or_not(client):
    """Byte for byte (but for the CSRF token): same number and holder asked before and after a
    certificate with that number exists under another holder."""
    number, holder = "06924Q10001R0S", "猜测的公司名称"
    before = lookup(client, number, holder)
    make_certificate(number=number)
    after = lookup(client, number, holder)

    def strip_csrf(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())

    assert before.status_code == after.status_code == 200
    assert strip_csrf(before) == strip_csrf(after)
    assert MISS_TEXT in strip_csrf(before) or "没有匹配" in strip_csrf(before)


def test_every_kind_of_miss_answers_identically(english):
    cert = make_certificate()
    responses = {
        "unknown number": lookup(english, "06924Q19999R0S", cert.holder_name_zh),
        "wrong holder": lookup(english, cert.number, "Wrong Company Ltd."),
        "empty holder": lookup(english, cert.number, ""),
        "number only": english.get(reverse("verify:lookup"), {"number": cert.number}),
        "holder only": english.get(reverse("verify:lookup"), {"holder": cert.holder_name_zh}),
        "too long": lookup(english, cert.number + "X" * 500, cert.holder_name_zh),
        "nul byte": lookup(english, cert.number + "\x00", cert.holder_name_zh),
        "sql": lookup(english, "' OR '1'='1", "' OR '1'='1"),
        "unknown token": english.get(reverse("verify:token", kwargs={"token": "A" * 32})),
        "malformed token": english.get(reverse("verify:token", kwargs={"token": "not a token!"})),
        "long token": english.get(reverse("verify:token", kwargs={"token": "a" * 300})),
    }
    bodies = set()
    for case, response in responses.items():
        assert response.status_code == 200, case
        assert [t.name for t in response.templates][0] == VERIFY_TEMPLATE, case
        assert shown(response) is None, case
        assert MISS_TEXT in response.content.decode(), case
        bodies.add(normalised(response))
    assert len(bodies) == 1, "misses differ"


def test_no_public_url_takes_a_primary_key_or_lists_certificates():
    resolver = next(
        entry for entry in get_resolver().url_patterns if isinstance(entry, URLResolver) and entry.namespace == "verify"
    )
    routes = {pattern.name: str(pattern.pattern) for pattern in resolver.url_patterns}
    assert routes == {"lookup": "", "suspended": "suspended/", "token": "<str:token>/"}
    assert not any("pk" in route or "int:" in route for route in routes.values())


def test_the_form_alone_lists_nothing(client):
    make_certificate()
    response = client.get(reverse("verify:lookup"))
    assert response.status_code == 200
    assert shown(response) is None and not response.context["looked_up"]


# --- Headers --------------------------------------------------------------------------------


def test_lookups_are_never_cached_and_not_indexed(client):
    cert = make_certificate()
    for response in (
        lookup(client, cert.number, cert.holder_name_zh),
        lookup(client, cert.number, "wrong"),
        client.get(reverse("verify:token", kwargs={"token": cert.public_token})),
        client.get(reverse("verify:token", kwargs={"token": "B" * 32})),
    ):
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]


def test_only_get_is_answered(client):
    assert client.post(reverse("verify:lookup"), {"number": "x", "holder": "y"}).status_code == 405


# --- Languages ------------------------------------------------------------------------------


def test_chinese_by_default_and_english_after_switching_anonymously(client):
    CertificationBodyFactory(name_zh="测试认证有限公司", name_en="Test Certification Co., Ltd.")
    html = client.get(reverse("verify:lookup")).content.decode()
    assert "验证证书" in html and "测试认证有限公司" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("verify:lookup")})
    assert response.status_code == 302 and response.url == reverse("verify:lookup")
    html = client.get(reverse("verify:lookup")).content.decode()
    assert "Verify a certificate" in html and "Test Certification Co., Ltd." in html


def test_public_pages_show_no_staff_navigation_to_a_logged_in_user(client, make_user):
    from core.access import Role

    client.force_login(make_user(role=Role.CB_ADMIN))
    html = client.get(reverse("verify:lookup")).content.decode()
    assert f'action="{reverse("logout")}"' not in html and 'data-testid="current-user"' not in html


# --- Suspensions and withdrawals list -------------------------------------------------------


def test_suspended_list_shows_suspensions_and_recent_withdrawals_only(english):
    today = timezone.localdate()
    valid = make_certificate(client=ClientFactory(), holder_name_zh="有效公司", holder_name_en="Valid Co")
    suspended = set_status(
        make_certificate(
            client=ClientFactory(), holder_name_zh="暂停公司", holder_name_en="Suspended Co", standard=iso14001()
        ),
        CertificateStatus.SUSPENDED,
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=100),
    )
    withdrawn = set_status(
        make_certificate(client=ClientFactory(), holder_name_zh="撤销公司", holder_name_en="Withdrawn Co"),
        CertificateStatus.WITHDRAWN,
        today - datetime.timedelta(days=40),
    )
    old_withdrawal = set_status(
        make_certificate(
            client=ClientFactory(),
            holder_name_zh="早已撤销公司",
            holder_name_en="Long Withdrawn Co",
            issued_on=today - datetime.timedelta(days=900),
        ),
        CertificateStatus.WITHDRAWN,
        today - datetime.timedelta(days=400),
    )
    expired = set_status(
        make_certificate(client=ClientFactory(), holder_name_zh="过期公司", holder_name_en="Expired Co"),
        CertificateStatus.EXPIRED,
        today - datetime.timedelta(days=5),
    )
    response = english.get(reverse("verify:suspended"))
    assert response.status_code == 200
    numbers = [row["number"] for row in response.context["rows"]]
    assert numbers == [suspended.number, withdrawn.number]  # newest change first
    html = response.content.decode()
    for text in (
        "Suspended Co",
        "02 Suspended",
        suspended.standard_label,
        suspended.status_since.isoformat(),
        suspended.suspended_until.isoformat(),
        "Withdrawn Co",
        "03 Withdrawn",
        withdrawn.status_since.isoformat(),
    ):
        assert text in html, text
    for cert in (valid, old_withdrawal, expired):
        assert cert.number not in html
    assert "12 months" in html


def test_how_long_withdrawals_stay_listed_is_a_setting(client, settings):
    today = timezone.localdate()
    withdrawn = set_status(make_certificate(), CertificateStatus.WITHDRAWN, today - datetime.timedelta(days=40))
    settings.VERIFY_WITHDRAWN_LISTED_MONTHS = 1
    assert withdrawn.number not in client.get(reverse("verify:suspended")).content.decode()
    settings.VERIFY_WITHDRAWN_LISTED_MONTHS = 2
    assert withdrawn.number in client.get(reverse("verify:suspended")).content.decode()


def test_withdrawal_listed_until_the_same_day_months_later():
    from certification.public_views import suspended_list

    withdrawn = set_status(make_certificate(), CertificateStatus.WITHDRAWN, datetime.date(2030, 3, 31))
    assert [r["number"] for r in suspended_list(today=datetime.date(2031, 3, 31))] == [withdrawn.number]
    assert suspended_list(today=datetime.date(2031, 4, 1)) == []


def test_empty_suspended_list_says_so(client):
    make_certificate()
    response = client.get(reverse("verify:suspended"))
    assert response.context["rows"] == []
    assert 'data-testid="suspended-empty"' in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_suspended_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    CertificationBodyFactory()
    today = timezone.localdate()
    for n in range(size):
        set_status(
            make_certificate(client=ClientFactory()),
            CertificateStatus.SUSPENDED,
            today,
            today + datetime.timedelta(days=30),
        )
        set_status(
            make_certificate(client=ClientFactory()), CertificateStatus.WITHDRAWN, today - datetime.timedelta(days=n)
        )
    with django_assert_num_queries(2):  # the CB's name, the rows
        response = client.get(reverse("verify:suspended"))
    assert len(response.context["rows"]) == 2 * size


def test_a_lookup_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    cert = make_certificate()
    with django_assert_num_queries(2):  # the certificate's public columns, the CB's name
        lookup(client, cert.number, cert.holder_name_zh)
    with django_assert_num_queries(2):
        lookup(client, cert.number, "wrong holder")
