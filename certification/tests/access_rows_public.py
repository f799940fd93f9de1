"""Who may open the public certificate register (certification/public_urls.py): everybody,
logged in or not. Included in the certification app's access rows (access_rows.py)."""

from core.testing import PUBLIC, Page


def _token(user):
    from certification.tests.factories import CertificateFactory

    return {"token": CertificateFactory().public_token}


PUBLIC_PAGES = [
    Page("verify:lookup", PUBLIC),
    Page("verify:token", PUBLIC, kwargs=_token),
    Page("verify:suspended", PUBLIC),
]
