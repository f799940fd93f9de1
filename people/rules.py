"""Pure rules about auditors (no database writes): services, forms and models call these."""

import datetime

# ISO/IEC 17021-1:2015 5.2.10: personnel who provided management-system consultancy to a client
# shall not take part in its audit or certification activities within two years following the
# end of the consultancy. The two years are the standard's minimum, not a CB setting.
CONSULTING_COOLING_OFF_YEARS = 2


def consulting_conflict_until(consulting_ended_on: datetime.date) -> datetime.date:
    """The last day an auditor who consulted for a client is barred from its audits: two years
    after the consultancy ended (ISO/IEC 17021-1:2015 5.2.10)."""
    try:
        return consulting_ended_on.replace(year=consulting_ended_on.year + CONSULTING_COOLING_OFF_YEARS)
    except ValueError:  # 29 February
        return consulting_ended_on.replace(year=consulting_ended_on.year + CONSULTING_COOLING_OFF_YEARS, day=28)
