import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import RestrictedQuerySet
from core.i18n import BilingualTitleMixin

_SEGMENT = re.compile(r"(\d+)|(\D+)")


def clause_sort_key(number: str) -> str:
    """A string that sorts clause numbers naturally: 7.1.5.2 after 7.1.5.1, 10.1 after 9.3.

    Numeric segments are zero-padded, others (annex letters such as "A") are kept, so a plain
    ORDER BY on the key gives document order on every database.
    """
    parts = []
    for segment in number.strip().split("."):
        for digits, text in _SEGMENT.findall(segment):
            parts.append(f"{int(digits):05d}" if digits else f"~{text.upper()}")
    return ".".join(parts)


def code_covers(competence: str, required: str) -> bool:
    """A competence code covers itself and every code below it: 33 covers 33.02.01, 33.02 covers
    33.02.01, 33.01 does not. Segments compare as numbers, so sector "1" covers "01.01.02"."""
    have, need = clause_sort_key(competence).split("."), clause_sort_key(required).split(".")
    return need[: len(have)] == have


class ManagementSystemFamily(models.TextChoices):
    """The families the report's topics are tied to. A CB may import standards of other
    families (ISMS, EnMS …); the field is free text with these as the known ones."""

    QMS = "QMS", _("Quality management system")
    EMS = "EMS", _("Environmental management system")
    OHSMS = "OHSMS", _("Occupational health and safety management system")


STANDARD_LETTERS = {"QMS": "Q", "EMS": "E", "OHSMS": "S"}
LETTER_ORDER = "QJES"  # the seed's order of the systems


def clause_list_key(clause: "Clause") -> tuple[int, str, str]:
    """Order of a clause list over several standards: Q, J, E, S, then by number."""
    letter = clause.standard.letter
    rank = LETTER_ORDER.index(letter) if letter in LETTER_ORDER else len(LETTER_ORDER)
    return (rank, clause.standard.code, clause.sort_key)


class StaffReadableQuerySet(RestrictedQuerySet):
    """Reference data: readable by CB staff, changed by CB administrators (in the admin)."""

    def restrict(self, user, action="view"):
        if action == "view" and getattr(user, "is_cb_staff", False):
            return self
        if getattr(user, "role", None) == "cb_admin" and user.is_active:
            return self
        return self.none()


class Standard(BilingualTitleMixin, models.Model):
    code = models.CharField(_("code"), max_length=40, help_text=_("e.g. ISO 9001"))
    edition = models.CharField(_("edition"), max_length=10, help_text=_("year of the edition, e.g. 2015"))
    national_equivalent = models.CharField(
        _("national equivalent"), max_length=60, blank=True, help_text=_("e.g. GB/T 19001-2016")
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    family = models.CharField(
        _("management-system family"), max_length=16, help_text=_("QMS, EMS, OHSMS, or another short code")
    )
    retired = models.BooleanField(_("retired"), default=False, help_text=_("withdrawn, kept because records cite it"))

    objects = StaffReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["retired", "family", "code", "edition"]
        constraints = [models.UniqueConstraint(fields=["code", "edition"], name="standard_code_edition_unique")]

    def __str__(self):
        return f"{self.code}:{self.edition}"

    @property
    def letter(self) -> str:
        """The standard's letter in clause lists, the convention of the seed report's part 七
        ("Q/J/E/S分开填写"): Q quality, J the construction-quality standard GB/T 50430, E
        environment, S occupational health and safety; another family prints its own code."""
        if self.code.replace(" ", "").upper().startswith("GB/T50430"):
            return "J"
        return STANDARD_LETTERS.get(self.family, self.family)

    def clause_label(self, number: str) -> str:
        """A clause number with its standard's letter: "Q 5.1"."""
        return f"{self.letter} {number}"

    @property
    def family_label(self):
        try:
            return ManagementSystemFamily(self.family).label
        except ValueError:
            return self.family


class Clause(BilingualTitleMixin, models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("standard"))
    number = models.CharField(_("number"), max_length=20)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)

    objects = StaffReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["standard", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="clause_number_unique_per_standard")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def tagged_number(self) -> str:
        """The number with its standard's letter ("Q 5.1"), so that 5.1 of ISO 9001 and 5.1 of
        ISO 45001 stay two clauses in a list (load ``standard`` with the clause)."""
        return self.standard.clause_label(self.number)

    def save(self, *args, **kwargs):
        self.sort_key = clause_sort_key(self.number)
        self.depth = self.number.count(".") + 1
        super().save(*args, **kwargs)


class TechnicalArea(BilingualTitleMixin, models.Model):
    """Technical-area scope codes: the 39 IAF/EA sectors and national codes below them
    (CNCA 认证业务范围分类, e.g. 33.02.01). A code belongs to the sector of its first segment."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    provisional = models.BooleanField(
        _("provisional title"),
        default=False,
        help_text=_("The title is a placeholder, not yet checked against the published classification."),
    )
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)

    objects = StaffReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("technical area")
        verbose_name_plural = _("technical areas")
        ordering = ["sort_key"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = clause_sort_key(self.code)
        super().save(*args, **kwargs)

    @property
    def is_sector(self):
        return self.parent_id is None

    @property
    def sector_code(self):
        """The IAF sector of the code: "33" for 33.02.01, "1" for 01.01.02."""
        return str(int(self.code.split(".")[0]))

    @property
    def level(self):
        """1 for a sector, 2 for a national middle class (33.02), 3 for a small class (33.02.01)."""
        return self.code.count(".") + 1

    def covers(self, other: "TechnicalArea") -> bool:
        """A competence in 33.02 covers 33.02.01; a sector covers all its codes."""
        return code_covers(self.code, other.code)


class CatalogueImport(models.Model):
    """One import of a catalogue data file (a standard or the technical areas): who, when, what
    changed, and the file's SHA-256. The shipped-data loader uses it to apply a shipped file
    again only when the file has changed since it was last applied."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("standard")
        TECHNICAL_AREAS = "technical_areas", _("technical areas")

    class Source(models.TextChoices):
        SHIPPED = "shipped", _("shipped with auditbody")
        COMMAND = "command", _("management command")
        ADMIN = "admin", _("administration upload")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("catalogue entry"), max_length=60, help_text=_("e.g. ISO 9001:2015"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    imported_by = models.CharField(_("imported by"), max_length=150, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)

    objects = StaffReadableQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["kind", "key", "source"], name="catalogue_import_lookup")]

    def __str__(self):
        return f"{self.key} ({self.get_source_display()}, {self.imported_at:%Y-%m-%d %H:%M})"
