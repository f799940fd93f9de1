"""Report templates are edited here by CB administrators: parts and topics in order, titles
zh/en, options, each topic's families and clause links. No code change is needed."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedModelMultipleChoiceField
from standards.models import Clause, ManagementSystemFamily, Standard

from .models import (
    ReportTemplate,
    TemplateFamily,
    TemplateField,
    TemplateOption,
    TemplatePart,
    TemplateTopic,
    TopicGroup,
)


def _family_choices():
    known = list(ManagementSystemFamily.choices)
    codes = {code for code, _label in known}
    extra = sorted(set(Standard.objects.values_list("family", flat=True)) - codes)
    return known + [(code, code) for code in extra]


class FamiliesField(forms.MultipleChoiceField):
    """The JSON list of families, edited as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", _family_choices)
        super().__init__(**kwargs)


class ClauseChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, clause):
        return f"{clause.standard} {clause.number} {clause.title}"


class TemplateTopicForm(forms.ModelForm):
    families = FamiliesField(label=_("management-system families"))
    clauses = ClauseChoiceField(
        queryset=Clause.objects.none(),
        required=False,
        label=_("clauses covered"),
        widget=admin.widgets.FilteredSelectMultiple(_("clauses"), is_stacked=False),
    )

    class Meta:
        model = TemplateTopic
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        template_id = None
        if self.instance.part_id:
            template_id = self.instance.part.template_id
        standards = TemplateFamily.objects.filter(standard__isnull=False)
        if template_id:
            standards = standards.filter(template_id=template_id)
        self.fields["clauses"].queryset = (
            Clause.objects.filter(standard__in=standards.values("standard"))
            .select_related("standard")
            .order_by("standard__family", "sort_key")
        )
        if "group" in self.fields and template_id:
            self.fields["group"].queryset = TopicGroup.objects.filter(part=self.instance.part)

    def clean(self):
        cleaned = super().clean()
        families = set(cleaned.get("families") or [])
        part = cleaned.get("part") or (self.instance.part if self.instance.part_id else None)
        clauses = cleaned.get("clauses") or []
        if part is not None and clauses:
            family_of_standard = dict(
                TemplateFamily.objects.filter(template_id=part.template_id, standard__isnull=False).values_list(
                    "standard_id", "code"
                )
            )
            wrong = [c for c in clauses if family_of_standard.get(c.standard_id) not in families]
            if wrong:
                self.add_error(
                    "clauses",
                    _("These clauses belong to a standard whose family the topic does not apply to: %(clauses)s")
                    % {"clauses": ", ".join(f"{c.standard} {c.number}" for c in wrong)},
                )
        return cleaned


class TemplateOptionForm(forms.ModelForm):
    families = FamiliesField(label=_("management-system families"), required=False)

    class Meta:
        model = TemplateOption
        fields = "__all__"


class OrderedInlineMixin:
    extra = 0
    show_change_link = True


class TemplateFamilyInline(OrderedInlineMixin, admin.TabularInline):
    model = TemplateFamily
    fields = ("order", "code", "title_zh", "title_en", "standard", "national_standard")
    show_change_link = False


class TemplatePartInline(OrderedInlineMixin, admin.TabularInline):
    model = TemplatePart
    fields = ("order", "number", "key", "title_zh", "title_en", "kind", "stage")


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "title_en", "key", "version", "is_default", "audit_types", "updated_at")
    list_filter = ("is_default",)
    search_fields = ("key", "title_zh", "title_en")
    inlines = [TemplateFamilyInline, TemplatePartInline]


class TopicGroupInline(OrderedInlineMixin, admin.TabularInline):
    model = TopicGroup
    fields = ("order", "key", "title_zh", "title_en")
    show_change_link = False


class PartFieldInline(OrderedInlineMixin, admin.TabularInline):
    model = TemplateField
    fk_name = "part"
    fields = ("order", "number", "key", "label_zh", "label_en", "type", "source")
    verbose_name = _("field of the part")
    verbose_name_plural = _("fields of the part")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(topic__isnull=True)


class PartTopicInline(OrderedInlineMixin, admin.TabularInline):
    model = TemplateTopic
    fields = ("order", "group", "number", "key", "title_zh", "title_en")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            part_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = TopicGroup.objects.filter(part_id=part_id) if part_id else TopicGroup.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TemplatePart)
class TemplatePartAdmin(admin.ModelAdmin):
    list_display = ("__str__", "template", "key", "kind", "stage", "order")
    list_filter = ("template", "kind", "stage")
    list_select_related = ("template",)
    search_fields = ("key", "title_zh", "title_en")
    ordering = ("template", "order", "number")
    fieldsets = (
        (None, {"fields": ("template", "order", "number", "key", "kind", "stage")}),
        (_("Titles"), {"fields": ("title_zh", "title_en", "heading_as_printed", "filled_by_zh", "filled_by_en")}),
        (_("Printed text"), {"fields": ("print_zh", "print_en", "text_zh", "text_en")}),
    )
    inlines = [TopicGroupInline, PartFieldInline, PartTopicInline]


class TopicFieldInline(OrderedInlineMixin, admin.TabularInline):
    model = TemplateField
    fk_name = "topic"
    fields = ("order", "number", "key", "label_zh", "label_en", "type")
    verbose_name = _("blank or box inside the topic")
    verbose_name_plural = _("blanks and boxes inside the topic")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        topic = obj

        class Formset(formset):
            def save_new(self, form, commit=True):
                form.instance.part_id = topic.part_id
                return super().save_new(form, commit=commit)

        return Formset


@admin.register(TemplateTopic)
class TemplateTopicAdmin(admin.ModelAdmin):
    form = TemplateTopicForm
    list_display = ("__str__", "key", "part", "group", "family_list", "clause_count", "order")
    list_filter = ("part__template", "part")
    list_select_related = ("part", "group")
    search_fields = ("key", "title_zh", "title_en")
    ordering = ("part__template", "part__order", "order")
    fieldsets = (
        (None, {"fields": ("part", "group", "order", "number", "key")}),
        (
            _("Titles"),
            {"fields": ("title_zh", "title_en", "title_continuing_zh", "title_continuing_en", "hint_zh", "hint_en")},
        ),
        (_("Applies to"), {"fields": ("families", "family_labels", "family_labels_en", "audit_types", "clauses")}),
    )
    inlines = [TopicFieldInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_clause_count=Count("clauses"))

    @admin.display(description=_("families"))
    def family_list(self, obj):
        return " / ".join(obj.families)

    @admin.display(description=_("clauses"), ordering="_clause_count")
    def clause_count(self, obj):
        return obj._clause_count


class OptionInline(admin.TabularInline):
    model = TemplateOption
    form = TemplateOptionForm
    extra = 0
    fields = ("order", "key", "label_zh", "label_en", "description_zh", "description_en", "families", "retired")


@admin.register(TemplateField)
class TemplateFieldAdmin(admin.ModelAdmin):
    list_display = ("key", "label_zh", "type", "part", "topic", "order")
    list_filter = ("part__template", "type", "part")
    list_select_related = ("part", "topic")
    search_fields = ("key", "label_zh", "label_en", "source")
    ordering = ("part__template", "part__order", "topic__order", "order")
    fieldsets = (
        (None, {"fields": ("part", "topic", "order", "number", "key", "type", "source")}),
        (
            _("Labels"),
            {
                "fields": (
                    "label_zh",
                    "label_en",
                    "default_zh",
                    "default_en",
                    "row_label_zh",
                    "row_label_en",
                    "group_zh",
                    "group_en",
                )
            },
        ),
        (
            _("Printing"),
            {"fields": ("columns", "applies_to_options", "printed_with", "checkbox", "option_detail", "audit_types")},
        ),
    )
    inlines = [OptionInline]


from .versions import admin as _versions_admin  # noqa: E402,F401  (PDF versions, render jobs)
