"""The admin for training data.

Administrators give staff accounts a facilitator's role in an organisation. Players'
attempts and answers are read-only, and for superusers only: facilitators see results in
their own area, and authors (the Authors group holds only the content app's permissions)
never see them, whatever permissions other staff are given here.
"""

from django.contrib import admin

from trainer.models import (
    Attempt,
    CheckAnswer,
    DrawnItem,
    MarkedMessage,
    Membership,
    ModuleRun,
    Organisation,
    StepAnswer,
)


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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
