"""Writes about clients. Views, admin and the demo call these; none re-implements a rule.

Concurrency: a client carries a ``version``. Every change to the client or to what hangs off
it (sites, scopes, departments, the responsibility matrix) goes through ``client_save`` or
``responsibility_matrix_save``, which lock the client row, compare the version the editor
started from with the current one and refuse a stale edit instead of overwriting it.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.history import set_change_reason, set_history_user
from standards.models import Clause, TechnicalArea

from .models import Client, ClientDocument, Department, Responsibility, ResponsibilityRole
from .uploads import check_document


def stale_edit_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this client while you were editing it. Your changes were NOT saved; "
            "they are still in the form below. Open the client again in a new tab to see the current data, "
            "then re-apply your changes."
        ),
        code="stale",
    )


def _lock_and_check_version(*, client: Client, expected_version: int | None) -> int:
    current = Client.objects.select_for_update().values_list("version", flat=True).get(pk=client.pk)
    if expected_version is not None and current != expected_version:
        raise stale_edit_error()
    return current


def _record(client: Client, *, by: User, reason: str | None) -> None:
    set_history_user(client, by)
    if reason:
        set_change_reason(client, reason[:100])


@transaction.atomic
def client_save(
    *,
    client: Client,
    by: User,
    expected_version: int | None = None,
    technical_areas: Iterable[TechnicalArea] | None = None,
    save_related: Callable[[Client], None] | None = None,
) -> Client:
    """Create or change a client, its technical-area codes and (through ``save_related``, e.g.
    the page's formsets) its sites, scopes and departments, all or nothing.

    For an existing client ``expected_version`` is the version the editor loaded; if the client
    changed since, ``ValidationError(code="stale")`` and nothing is written.
    """
    if client.pk:
        current = _lock_and_check_version(client=client, expected_version=expected_version)
        client.version = current + 1
    client.full_clean(exclude=["technical_areas"])
    _record(client, by=by, reason=None)
    client.save()
    if technical_areas is not None:
        wanted = {area.pk for area in technical_areas}
        if set(client.technical_areas.values_list("pk", flat=True)) != wanted:
            client.technical_areas.set(list(wanted))
    if save_related is not None:
        save_related(client)
    return client


# --- responsibility matrix -------------------------------------------------------------------


@transaction.atomic
def responsibility_matrix_save(
    *,
    client: Client,
    cells: dict[tuple[int, int], str],
    clauses: Iterable[Clause],
    by: User,
    expected_version: int | None = None,
) -> dict[str, int]:
    """Replace the client's matrix for ``clauses`` (the grid's rows) with ``cells``:
    {(clause_id, department_id): "owner" | "support" | ""}. A blank or missing cell removes
    the assignment. Departments must be the client's own; clauses must belong to a standard in
    the client's scope. A fixed number of queries whatever the grid's size.

    Returns counts {"created", "changed", "removed"}.
    """
    _lock_and_check_version(client=client, expected_version=expected_version)
    clause_ids = {clause.pk for clause in clauses}
    departments = {d.pk: d for d in Department.objects.filter(client=client)}
    scoped_standard_ids = set(client.scopes.values_list("standard_id", flat=True))
    for clause in clauses:
        if clause.standard_id not in scoped_standard_ids:
            raise ValidationError(
                _("Clause %(clause)s is not in a standard of the client's requested scope.")
                % {"clause": clause.number},
                code="clause_out_of_scope",
            )

    wanted = {}
    for (clause_id, department_id), role in cells.items():
        if department_id not in departments:
            raise ValidationError(_("The department is not one of this client's."), code="foreign_department")
        if clause_id not in clause_ids:
            raise ValidationError(_("The clause is not a row of this matrix."), code="foreign_clause")
        if role in (None, ""):
            continue
        if role not in ResponsibilityRole.values:
            raise ValidationError(_("Choose ● responsible, ○ supporting or blank."), code="bad_role")
        wanted[(clause_id, department_id)] = role

    existing = {
        (r.clause_id, r.department_id): r
        for r in Responsibility.objects.filter(department__client=client, clause_id__in=clause_ids)
    }
    to_create = [
        Responsibility(clause_id=c, department_id=d, role=role)
        for (c, d), role in wanted.items()
        if (c, d) not in existing
    ]
    to_change = []
    for key, row in existing.items():
        if key in wanted and wanted[key] != row.role:
            row.role = wanted[key]
            to_change.append(row)
    to_remove = [row.pk for key, row in existing.items() if key not in wanted]

    if to_remove:
        Responsibility.objects.filter(pk__in=to_remove).delete()
    if to_create:
        Responsibility.objects.bulk_create(to_create)
    if to_change:
        Responsibility.objects.bulk_update(to_change, ["role"])

    counts = {"created": len(to_create), "changed": len(to_change), "removed": len(to_remove)}
    if any(counts.values()):
        # The matrix is part of the client: bump its version and leave a history row saying so.
        client.refresh_from_db(fields=["version"])
        client.version += 1
        _record(
            client,
            by=by,
            reason=_("Responsibility matrix: %(created)d added, %(changed)d changed, %(removed)d removed") % counts,
        )
        client.save(update_fields=["version", "updated_at"])
    return counts


# --- documents -------------------------------------------------------------------------------


@transaction.atomic
def client_document_upload(
    *, client: Client, kind: str, title: str, uploaded_file: UploadedFile, by: User
) -> ClientDocument:
    """Store a client document after checking its size and type (name and content); a refused
    file is an error of the ``file`` field."""
    try:
        checked = check_document(uploaded_file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None
    document = ClientDocument(
        client=client,
        kind=kind,
        title=title,
        original_name=checked.name[:255],
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by,
    )
    document.file.save(checked.name, uploaded_file, save=False)
    document.full_clean()
    set_history_user(document, by)
    document.save()
    return document


@transaction.atomic
def client_document_delete(*, document: ClientDocument, by: User) -> None:
    set_history_user(document, by)
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    if stored:  # the file field is required: a stored document always names its file
        transaction.on_commit(lambda: storage.delete(stored))
