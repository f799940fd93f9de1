"""Badges of the certification pages (status colours)."""

from django import template

from ..models import CertificateStatus, DecisionStatus, ReviewStatus

register = template.Library()

CERTIFICATE_CSS = {
    CertificateStatus.VALID: "success",
    CertificateStatus.SUSPENDED: "warning",
    CertificateStatus.WITHDRAWN: "danger",
    CertificateStatus.CANCELLED: "secondary",
    CertificateStatus.EXPIRED: "dark",
}
DECISION_CSS = {
    DecisionStatus.AWAITING_EVALUATION: "info",
    DecisionStatus.AWAITING_APPROVAL: "primary",
    DecisionStatus.APPROVED: "success",
    DecisionStatus.NOT_APPROVED: "danger",
}
REVIEW_CSS = {ReviewStatus.OPEN: "info", ReviewStatus.PASSED: "success", ReviewStatus.NOT_PASSED: "danger"}


@register.filter
def certificate_css(status):
    return CERTIFICATE_CSS.get(status, "secondary")


@register.filter
def decision_css(status):
    return DECISION_CSS.get(status, "secondary")


@register.filter
def review_css(status):
    return REVIEW_CSS.get(status, "secondary")
