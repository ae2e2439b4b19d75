"""The admin for training data.

Administrators give staff accounts a facilitator's role in an organisation. Players'
attempts and answers are read-only, and for superusers only: facilitators see results in
their own area, and authors (the Authors group holds only the content app's permissions)
never see them, whatever permissions other staff are given here.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trainer.models import (
    Attempt,
    CheckAnswer,
    DrawnItem,
    MarkedMessage,
    Membership,
    ModuleRun,
    Organisation,
    RecordStore,
    StepAnswer,
)
from trainer.records.sealing import secret_seal


class SuperuserReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MarkedMessageInline(SuperuserReadOnlyInline):
    model = MarkedMessage
    fields = ["message"]


class DrawnItemInline(SuperuserReadOnlyInline):
    model = DrawnItem
    fields = ["phase", "order", "item"]


@admin.register(Attempt)
class AttemptAdmin(SuperuserReadOnly):
    list_display = ["id", "version", "position", "started_at", "finished_at", "score", "preview"]
    list_filter = ["preview", "scenario__language"]
    list_select_related = ["version__scenario"]
    date_hierarchy = "started_at"


@admin.register(StepAnswer)
class StepAnswerAdmin(SuperuserReadOnly):
    list_display = ["attempt", "position", "step", "choice", "answered_at"]
    list_select_related = ["step", "choice", "attempt__version__scenario"]
    inlines = [MarkedMessageInline]


@admin.register(ModuleRun)
class ModuleRunAdmin(SuperuserReadOnly):
    list_display = ["id", "module", "started_at", "finished_at"]
    list_select_related = ["module"]
    inlines = [DrawnItemInline]


@admin.register(CheckAnswer)
class CheckAnswerAdmin(SuperuserReadOnly):
    list_display = ["run", "phase", "item", "said_scam", "answered_at"]
    list_select_related = ["run__module", "item"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class RecordStoreForm(forms.ModelForm):
    """The store's secret is typed, sealed (trainer.records.sealing) and never shown again:
    the field is always empty, and left empty it keeps the stored secret."""

    endpoint = forms.URLField(
        label=RecordStore._meta.get_field("endpoint").verbose_name,
        help_text=RecordStore._meta.get_field("endpoint").help_text,
        assume_scheme="https",
    )
    secret = forms.CharField(
        label=_("secret"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "The password of Basic auth. Stored sealed and never shown again: leave it empty "
            "to keep the stored one."
        ),
    )

    class Meta:
        model = RecordStore
        fields = ["endpoint", "key", "secret", "active"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("secret") and not self.instance.secret_sealed:
            self.add_error("secret", _("Type the store's secret: none is stored yet."))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("secret"):
            self.instance.secret_sealed = secret_seal(self.cleaned_data["secret"])
        return super().save(commit)


class RecordStoreInline(admin.StackedInline):
    """Where the organisation's sessions send learning records (xAPI): trainer/records/."""

    model = RecordStore
    form = RecordStoreForm
    extra = 0
    max_num = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, RecordStoreInline]
