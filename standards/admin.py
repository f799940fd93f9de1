"""Admin: the catalogue is data. Standards and technical areas come in as data files (import
button) and go out as data files (export action); titles of a standard may be edited here,
clauses are read-only (change them by re-importing the file)."""

import io
import re
import zipfile

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import CatalogueImportForm
from .importer import area_data_from_db, dump_technical_areas, export_standard
from .models import CatalogueImport, Clause, Standard, TechnicalArea
from .protection import in_use_reason


def _file_stem(standard):
    return re.sub(r"[^A-Za-z0-9]+", "-", f"{standard.code}-{standard.edition}").strip("-").lower()


def _download(content, name, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class InUseProtectedMixin:
    """The delete page (and the "delete selected" action) lists why a standard or code in use
    cannot be deleted, and refuses it (standards/protection.py)."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        reasons = [reason for reason in (in_use_reason(obj) for obj in objs) if reason]
        return deleted, model_count, perms_needed, [*protected, *reasons]


class ImportViewMixin:
    """An "Import from file" page on the change list; the import itself is a service call."""

    import_title = ""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info))
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            name, raw = form.read()
            try:
                results = self.run_import(name=name, raw=raw, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                for result in results:
                    messages.success(request, result.summary())
                info = self.model._meta.app_label, self.model._meta.model_name
                return redirect(reverse("admin:{}_{}_changelist".format(*info)))
        context = {
            **self.admin_site.each_context(request),
            "title": self.import_title,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/standards/import_form.html", context)


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ("number", "title_zh", "title_en")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("sort_key",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Standard)
class StandardAdmin(InUseProtectedMixin, ImportViewMixin, admin.ModelAdmin):
    list_display = ("__str__", "national_equivalent", "title_zh", "family", "retired", "clause_count")
    list_filter = ("family", "retired")
    search_fields = ("code", "national_equivalent", "title_zh", "title_en")
    inlines = [ClauseInline]
    actions = ["export_yaml", "export_json"]
    change_list_template = "admin/standards/standard/change_list.html"
    import_title = _("Import a standard from a data file")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(clause_count=Count("clauses"))

    @admin.display(description=_("clauses"), ordering="clause_count")
    def clause_count(self, obj):
        return obj.clause_count

    def get_readonly_fields(self, request, obj=None):
        return ("code", "edition") if obj else ()

    def has_add_permission(self, request):
        return False  # a standard comes with its clauses: import its data file

    def run_import(self, *, name, raw, by):
        return services.standard_import(files=[(name, raw)], source=CatalogueImport.Source.ADMIN, by=by)

    def _export(self, queryset, fmt):
        standards = list(queryset)
        ext = "yaml" if fmt == "yaml" else "json"
        if len(standards) == 1:
            content_type = "application/yaml" if fmt == "yaml" else "application/json"
            return _download(
                export_standard(standards[0], fmt),
                f"{_file_stem(standards[0])}.{ext}",
                f"{content_type}; charset=utf-8",
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for standard in standards:
                archive.writestr(f"{_file_stem(standard)}.{ext}", export_standard(standard, fmt))
        return _download(buffer.getvalue(), "standards.zip", "application/zip")

    @admin.action(description=_("Export the selected standards as YAML data files"))
    def export_yaml(self, request, queryset):
        return self._export(queryset, "yaml")

    @admin.action(description=_("Export the selected standards as JSON data files"))
    def export_json(self, request, queryset):
        return self._export(queryset, "json")


@admin.register(TechnicalArea)
class TechnicalAreaAdmin(InUseProtectedMixin, ImportViewMixin, admin.ModelAdmin):
    list_display = ("code", "title_zh", "title_en", "provisional", "parent")
    list_filter = ("provisional",)
    search_fields = ("code", "title_zh", "title_en")
    list_select_related = ("parent",)
    readonly_fields = ("code", "parent")
    fields = ("code", "parent", "title_zh", "title_en", "provisional")
    actions = ["export_yaml"]
    change_list_template = "admin/standards/technicalarea/change_list.html"
    import_title = _("Import technical-area codes from a data file")

    def has_add_permission(self, request):
        return False  # codes come in through the import, which sets each code's parent

    def run_import(self, *, name, raw, by):
        return [services.technical_areas_import(name=name, raw=raw, source=CatalogueImport.Source.ADMIN, by=by)]

    @admin.action(description=_("Export the selected codes (with their parents) as a YAML data file"))
    def export_yaml(self, request, queryset):
        chosen = {area.code: area for area in queryset}
        every = {area.code: area for area in TechnicalArea.objects.all()}
        for area in list(chosen.values()):
            parent = every.get(area.parent.code) if area.parent_id else None
            while parent is not None:
                chosen[parent.code] = parent
                parent = every.get(parent.parent.code) if parent.parent_id else None
        content = dump_technical_areas(area_data_from_db(chosen.values()))
        return _download(content, "technical_areas.yaml", "application/yaml; charset=utf-8")


@admin.register(CatalogueImport)
class CatalogueImportAdmin(admin.ModelAdmin):
    list_display = ("imported_at", "key", "source", "file_name", "imported_by", "created", "updated", "deleted")
    list_filter = ("kind", "source")
    search_fields = ("key", "file_name", "imported_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
