from core.testing import STAFF, Page


def _iso9001(user):
    from standards.models import Standard

    return {"pk": Standard.objects.get(code="ISO 9001", edition="2015").pk}


PAGES = [
    Page("standards:standard_list", STAFF),
    Page("standards:standard_detail", STAFF, kwargs=_iso9001),
    Page("standards:technical_area_list", STAFF),
    Page("standards:clause_picker", STAFF),
]
