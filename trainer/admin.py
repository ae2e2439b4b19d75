"""Players' attempts and answers in the admin: read-only, and for superusers only.

Authors never see them (the Authors group holds only the content app's permissions);
neither does any other staff member, whatever permissions they are given here.
"""

from django.contrib import admin

from trainer.models import Attempt, CheckAnswer, ModuleRun, StepAnswer


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


@admin.register(ModuleRun)
class ModuleRunAdmin(SuperuserReadOnly):
    list_display = ["id", "module", "started_at", "finished_at"]
    list_select_related = ["module"]


@admin.register(CheckAnswer)
class CheckAnswerAdmin(SuperuserReadOnly):
    list_display = ["run", "phase", "item", "said_scam", "answered_at"]
    list_select_related = ["run__module", "item"]
