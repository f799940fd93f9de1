"""The registries lower apps read are filled by the higher apps installed (their AppConfig.ready())."""

from audits import registry as audits_registry


def test_certification_tells_the_audit_programme_schedule_about_certificates():
    from certification.selectors import programme_certificate_annotations, programme_schedule_adjust

    (provider,) = audits_registry._programme_certificate_state
    assert provider.annotations is programme_certificate_annotations
    assert provider.adjust_schedule is programme_schedule_adjust
