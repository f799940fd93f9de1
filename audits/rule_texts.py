"""Translatable copies of the English sentences audits/programme_rules.py returns.

programme_rules.py is pure Python (no Django), so its sources, consequences and
recertification messages are plain English. Each is repeated here as a literal inside
gettext_lazy so makemessages extracts it; ``translated(text)`` returns the translation.
A test checks every sentence of the rule module has its entry here.
"""

from django.utils.translation import gettext_lazy as _

TEXTS = {
    "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.4.1.4: first surveillance within 12 months of the certificate issue date": _(
        "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.4.1.4: first surveillance within 12 months of the certificate issue date"
    ),
    "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.4.1.4: no more than 12 months after the previous surveillance; at least two surveillances per cycle": _(
        "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.4.1.4: no more than 12 months after the previous surveillance; at least two surveillances per cycle"
    ),
    "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.8.2: recertification audit on site, completed before the certificate expires": _(
        "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.8.2: recertification audit on site, completed before the certificate expires"
    ),
    "ISO/IEC 17021-1:2015 9.1.3.3: first surveillance not more than 12 months from the certification decision date": _(
        "ISO/IEC 17021-1:2015 9.1.3.3: first surveillance not more than 12 months from the certification decision date"
    ),
    "ISO/IEC 17021-1:2015 9.1.3.3 / 9.6.2.2: surveillance at least once a calendar year, except in recertification years": _(
        "ISO/IEC 17021-1:2015 9.1.3.3 / 9.6.2.2: surveillance at least once a calendar year, except in recertification years"
    ),
    "ISO/IEC 17021-1:2015 9.6.3.1 / 9.6.3.2.4: recertification audit and decision before the certificate expires": _(
        "ISO/IEC 17021-1:2015 9.6.3.1 / 9.6.3.2.4: recertification audit and decision before the certificate expires"
    ),
    "Certificate suspended and reported (CNCA: overdue surveillance); withdrawn if the surveillance is still not done when the suspension ends.": _(
        "Certificate suspended and reported (CNCA: overdue surveillance); withdrawn if the surveillance is still not done when the suspension ends."
    ),
    "Certificate expires; the client must be certified again as an initial certification (CNCA: recertification not completed on site before expiry).": _(
        "Certificate expires; the client must be certified again as an initial certification (CNCA: recertification not completed on site before expiry)."
    ),
    "Certification suspended (ISO/IEC 17021-1: surveillance not conducted at the required frequency).": _(
        "Certification suspended (ISO/IEC 17021-1: surveillance not conducted at the required frequency)."
    ),
    "Certification lapses; restorable within 6 months after expiry by completing the recertification, otherwise a new initial audit (stage 2 at least).": _(
        "Certification lapses; restorable within 6 months after expiry by completing the recertification, otherwise a new initial audit (stage 2 at least)."
    ),
    "The certificate is still valid: complete the recertification audit and decision before it expires.": _(
        "The certificate is still valid: complete the recertification audit and decision before it expires."
    ),
    "The certificate has expired: certification can be restored if the outstanding recertification activities are completed within 6 months after expiry; the new certificate keeps the expiry date based on the prior cycle.": _(
        "The certificate has expired: certification can be restored if the outstanding recertification activities are completed within 6 months after expiry; the new certificate keeps the expiry date based on the prior cycle."
    ),
    "The certificate expired more than 6 months ago: at least a stage 2 audit is required to certify the client again.": _(
        "The certificate expired more than 6 months ago: at least a stage 2 audit is required to certify the client again."
    ),
    "The certificate has expired without an on-site recertification: the client must be certified again as an initial certification (stage 1 and stage 2).": _(
        "The certificate has expired without an on-site recertification: the client must be certified again as an initial certification (stage 1 and stage 2)."
    ),
    "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.8.2": _(
        "CNCA QMS certification rules (CNCA Announcement 2025 No. 16) 5.8.2"
    ),
    "ISO/IEC 17021-1:2015 9.6.3.2.4": _("ISO/IEC 17021-1:2015 9.6.3.2.4"),
    "ISO/IEC 17021-1:2015 9.6.3.2.5": _("ISO/IEC 17021-1:2015 9.6.3.2.5"),
}


def translated(text):
    """The translation of one of programme_rules' sentences (the text itself if unknown)."""
    return TEXTS.get(text, text)
