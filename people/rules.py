"""Pure rules about auditors (no database writes): services, forms and models call these."""

import datetime
from collections.abc import Mapping, Sequence

# ISO/IEC 17021-1:2015 5.2.10: personnel who provided management-system consultancy to a client
# shall not take part in its audit or certification activities within two years following the
# end of the consultancy. The two years are the standard's minimum, not a CB setting.
CONSULTING_COOLING_OFF_YEARS = 2
# Between the families of a person's registration on an integrated audit ("QMS: …; EMS: …"); the
# report's team table prints one family per line instead.
REGISTRATION_SEPARATOR = "; "


def consulting_conflict_until(consulting_ended_on: datetime.date) -> datetime.date:
    """The last day an auditor who consulted for a client is barred from its audits: two years
    after the consultancy ended (ISO/IEC 17021-1:2015 5.2.10)."""
    try:
        return consulting_ended_on.replace(year=consulting_ended_on.year + CONSULTING_COOLING_OFF_YEARS)
    except ValueError:  # 29 February
        return consulting_ended_on.replace(year=consulting_ended_on.year + CONSULTING_COOLING_OFF_YEARS, day=28)


def registration_per_family(*, families: Sequence[str], default: str, registrations: Mapping[str, str]) -> str:
    """What the audit team table prints as a person's registration (注册资格) on an audit of
    ``families``: an auditor is registered per management-system family (CCAA registers QMS, EMS
    and OHSMS auditors separately, e.g. 2019-N1QMS-… and 2019-N1EMS-…), so on an integrated
    audit each audited family shows its own number ("QMS: 2019-N1QMS-1234567; EMS: …").

    ``registrations`` maps each family the person is qualified in to that qualification's number
    ("" when it has none of its own: the profile's ``default`` applies). A family the person holds
    no qualification in is left out; with none at all (a technical expert) the profile's number is
    shown. A one-family audit prints the number alone, as the seed report does."""
    entries = [(family, registrations[family] or default) for family in families if family in registrations]
    if not entries:
        return default
    if len(families) == 1:
        return entries[0][1]
    return REGISTRATION_SEPARATOR.join(f"{family}: {number}" for family, number in entries)
