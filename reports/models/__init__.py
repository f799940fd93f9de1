"""The audit report as data (DESIGN.md, "The report is data, not a blob").

``template``: what a CB edits without code — a ``ReportTemplate`` with its numbered
``TemplatePart``s (一 … 十九), each part's ``TemplateField``s (facts rendered from the
database, choices with fixed ``TemplateOption``s, short texts, dates, tables) and its
narrative ``TemplateTopic``s (grouped by ``TopicGroup``, tied to management-system families
and to ``standards.Clause``s).

``content``: one audit's ``Report`` — its status, the typed ``FieldValue``s, the narrative
``TopicContent``s (with ``TopicConflict`` copies of refused saves and the leader's
``TopicComment``s) and the ``ReportEvent`` log of its lifecycle.
"""

from .content import (  # noqa: F401
    EDITABLE_STATUSES,
    FieldValue,
    Report,
    ReportEvent,
    ReportEventAction,
    ReportStatus,
    TopicComment,
    TopicConflict,
    TopicContent,
)
from .template import (  # noqa: F401
    FieldType,
    PartKind,
    PartStage,
    ReportTemplate,
    TemplateFamily,
    TemplateField,
    TemplateOption,
    TemplatePart,
    TemplateTopic,
    TopicGroup,
    chinese_numeral,
)
from .versions import ACTIVE_RENDER_STATUSES, RenderJob, RenderStatus, ReportNumber, ReportVersion, VersionKind  # noqa: F401  (PDF versions)
