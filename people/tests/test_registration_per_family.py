"""An auditor's registration as the audit team table prints it: one number per audited system
(CCAA registers QMS, EMS and OHSMS auditors separately)."""

from people.rules import registration_per_family

OWN = {"QMS": "2019-N1QMS-1234567", "EMS": "2019-N1EMS-1234568", "OHSMS": ""}


def test_an_integrated_audit_prints_each_audited_systems_number_and_falls_back_to_the_profiles():
    text = registration_per_family(families=["QMS", "EMS", "OHSMS"], default="2019-N1QMS-1234567", registrations=OWN)
    assert text == "QMS: 2019-N1QMS-1234567; EMS: 2019-N1EMS-1234568; OHSMS: 2019-N1QMS-1234567"


def test_a_system_the_person_is_not_qualified_in_is_left_out():
    text = registration_per_family(families=["QMS", "EMS"], default="X", registrations={"EMS": "2019-N1EMS-1234568"})
    assert text == "EMS: 2019-N1EMS-1234568"


def test_a_one_system_audit_prints_that_systems_number_alone():
    assert registration_per_family(families=["EMS"], default="X", registrations=OWN) == "2019-N1EMS-1234568"


def test_without_a_qualification_in_any_audited_system_the_profiles_number_is_printed():
    assert registration_per_family(families=["QMS", "EMS"], default="2018-N1QMS-2205805", registrations={}) == (
        "2018-N1QMS-2205805"
    )
