"""Staff pages of certification, one module per page group:

* ``committee``: the committee's dashboard and the daily job's flags;
* ``reviews``: the technical review of an audit;
* ``decisions``: decisions (open, evaluate, approve, part 十七);
* ``certificates``: certificates (list and detail).

Thin views: every rule (independence, the review's blockers, what each decision type needs,
dates, allowed status changes, optimistic concurrency) is in ``certification.services``, called
through ``core.views.perform``: a refusal is shown on the form or as a message — never a 500.
Objects are fetched only through ``restrict()`` or the selectors: another id is 404. Lists are
rendered by ``includes/list_table.html``.
"""

from .certificates import certificate_detail, certificate_list, certificate_list_choices
from .committee import committee_dashboard, flag_resolve
from .decisions import (
    decision_approve,
    decision_detail,
    decision_evaluate,
    decision_open_from_certificate,
    decision_open_from_flag,
    decision_open_from_review,
    decision_pdfs_panel,
    decision_remarks,
)
from .reviews import (
    issue_raise,
    issue_resolve,
    issue_respond,
    review_assign,
    review_checklist,
    review_conclude,
    review_detail,
    review_open,
)

__all__ = [
    "certificate_detail",
    "certificate_list",
    "certificate_list_choices",
    "committee_dashboard",
    "decision_approve",
    "decision_detail",
    "decision_evaluate",
    "decision_open_from_certificate",
    "decision_open_from_flag",
    "decision_open_from_review",
    "decision_pdfs_panel",
    "decision_remarks",
    "flag_resolve",
    "issue_raise",
    "issue_resolve",
    "issue_respond",
    "review_assign",
    "review_checklist",
    "review_conclude",
    "review_detail",
    "review_open",
]
