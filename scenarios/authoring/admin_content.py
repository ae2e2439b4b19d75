"""Editing a draft in the admin: the version's page with its steps, and each step's page
with its messages and choices. Published versions are shown read-only: they never change."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from scenarios.models import Choice, Message, RedFlagType, ScenarioVersion, Step

from .admin_translation import (
    SourceBesideChoices,
    SourceBesideMessages,
    SourceBesideStep,
    publish_confirm_page,
)
from .drafts import (
    AuthoringRefused,
    IdenticalToSource,
    draft_edit_begins,
    draft_lock,
    draft_publish,
    is_open_draft,
)
from .forms import (
    ChoiceFormSet,
    ChoiceRowForm,
    MessageFormSet,
    MessageRowForm,
    StepFormSet,
    StepPageForm,
    StepRowForm,
    VersionForm,
)
from .graph import story_check
from .picture import picture_build
from .story import story_load

SMALL_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 30})


def step_label(step: Step) -> str:
    if step.ending:
        return _("%(title)s (%(key)s, ending)") % {"title": step.title or step.key, "key": step.key}
    return f"{step.title} ({step.key})" if step.title else step.key


class DraftOnly:
    """Content of a published version can be looked at, never changed."""

    def _draft(self, version) -> bool:
        return version is None or is_open_draft(version)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._draft(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._draft(obj)


class StepInline(DraftOnly, admin.TabularInline):
    model = Step
    form = StepRowForm
    formset = StepFormSet
    fields = ["order", "key", "title", "is_start", "ending", "text", "loss_kzt"]
    show_change_link = True
    verbose_name_plural = gettext_lazy("steps (open a step to write its messages and choices)")

    def get_extra(self, request, obj=None, **kwargs):
        return 4 if obj is None or not obj.steps.exists() else 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = SMALL_TEXT
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class EditsDraft:
    """Saving a draft's page holds its version against publishing, and first throws away
    its previews, which hold on to its steps.

    A published version never changes, so an edit and the publishing of the same draft
    must not interleave: the save locks the scenario's and the version's rows (as
    `draft_publish` does, in the same order) for its whole transaction, and checks, under
    the lock, that the version is still an open draft. A draft published while its page
    was open is refused with a message, and nothing of the edit is kept."""

    shows_picture = False  # the story's picture, laid out by Graphviz for each page drawn

    def _version_of(self, obj) -> ScenarioVersion:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or not object_id:
            return self._change_page(request, object_id, form_url, extra_context)
        with transaction.atomic():
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                version = draft_lock(self._version_of(obj))
                if not is_open_draft(version):
                    return self._published_meanwhile(request, version)
                if self.has_change_permission(request, obj):
                    draft_edit_begins(version)
            return self._change_page(request, object_id, form_url, extra_context)

    def _published_meanwhile(self, request, version: ScenarioVersion) -> HttpResponseRedirect:
        self.message_user(
            request,
            _(
                "Not saved: this draft was published, or a newer version of the scenario "
                "was, while its page was open. A published version never changes: start a "
                "new draft to change it."
            ),
            messages.ERROR,
        )
        return HttpResponseRedirect(
            reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
        )

    def _change_page(self, request, object_id, form_url, extra_context):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None:
            version = self._version_of(obj)
            story = story_load(version)
            extra_context = {
                **(extra_context or {}),
                "version": version,
                "scenario": version.scenario,
                "open_draft": is_open_draft(version),
                "check": story_check(story),
                "picture": picture_build(story) if self.shows_picture else None,
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        with transaction.atomic():
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                version = draft_lock(self._version_of(obj))
                if not is_open_draft(version):
                    return self._published_meanwhile(request, version)
                if self.has_delete_permission(request, obj):
                    draft_edit_begins(version)
            return super().delete_view(request, object_id, extra_context)

    def get_model_perms(self, request):
        return {}  # reached from the scenario's page, not listed on its own


class ScenarioVersionAdmin(EditsDraft, admin.ModelAdmin):
    shows_picture = True
    form = VersionForm
    inlines = [StepInline]
    readonly_fields = ["number", "published_at", "published_by", "imported_from", "translated_from"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "summary",
                    "channel",
                    "legitimate",
                    "difficulty",
                    "minutes_given",
                ]
            },
        ),
        (gettext_lazy("What the story is based on"), {"fields": ["based_on", "basis", "sources"]}),
        (gettext_lazy("For the facilitator's guide"), {"fields": ["discussion"]}),
        (
            gettext_lazy("Version"),
            {
                "fields": [
                    "number",
                    "published_at",
                    "published_by",
                    "imported_from",
                    "translated_from",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["css/authoring.css"]}

    def _version_of(self, obj):
        return obj

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("scenario__current_version", "published_by")
        )

    def has_add_permission(self, request):
        return False  # a draft is started from its scenario's page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or is_open_draft(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.is_published)

    def response_delete(self, request, obj_display, obj_id):
        return HttpResponseRedirect(reverse("admin:scenarios_scenario_changelist"))

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish)
        return [
            path("<int:pk>/publish/", publish, name="scenarios_scenarioversion_publish"),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def publish(self, request, pk):
        version = get_object_or_404(ScenarioVersion.objects.select_related("scenario"), pk=pk)
        if not request.user.has_perm("scenarios.change_scenarioversion"):
            raise PermissionDenied
        back = reverse("admin:scenarios_scenario_change", args=[version.scenario_id])
        edit = reverse("admin:scenarios_scenarioversion_change", args=[pk])
        try:
            published = draft_publish(
                version=version,
                user=request.user,
                identical_confirmed=request.POST.get("identical_confirmed") == "yes",
            )
        except IdenticalToSource as untranslated:
            return publish_confirm_page(self, request, version, untranslated.texts)
        except AuthoringRefused as refused:
            self.message_user(request, _("Not published: put these right first."), messages.ERROR)
            for problem in refused.problems:
                self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(edit)
        if published:
            message = _("Version %(number)d is published: players start it from now on.")
            self.message_user(request, message % {"number": version.number}, messages.SUCCESS)
        return HttpResponseRedirect(back)


class MessageInline(SourceBesideMessages, DraftOnly, admin.TabularInline):
    model = Message
    form = MessageRowForm
    formset = MessageFormSet
    fields = ["order", "kind", "text", "details", "flag", "flag_part", "explanation", "key"]
    verbose_name_plural = gettext_lazy("messages (what the player reads, in order)")

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None or not obj.messages.exists() else 1

    def _draft(self, step):
        return step is None or is_open_draft(step.version)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("text", "explanation", "details"):
            kwargs["widget"] = SMALL_TEXT
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "flag" and field is not None:
            field.widget.can_delete_related = False  # a type is deleted on its own page
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "flag":
            kwargs["queryset"] = RedFlagType.objects.order_by("code")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda flag: f"{flag.name_in()} ({flag.code})"
            field.help_text = _("Empty: an innocent message.")
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChoiceInline(SourceBesideChoices, DraftOnly, admin.TabularInline):
    model = Choice
    form = ChoiceRowForm
    formset = ChoiceFormSet
    fk_name = "step"
    fields = ["order", "text", "verdict", "feedback", "says", "next_step", "new_step"]
    verbose_name_plural = gettext_lazy("choices (what the player can do next)")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None or not obj.choices.exists() else 1

    def _draft(self, step):
        return step is None or is_open_draft(step.version)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "new_step"]  # a form field, not a column

    def get_formset(self, request, obj=None, **kwargs):
        self._step = obj  # the step whose choices these are: they lead to its version's steps
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("feedback", "says"):
            kwargs["widget"] = SMALL_TEXT
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "next_step" and field is not None:
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_delete_related = field.widget.can_view_related = False
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "next_step":
            step = getattr(self, "_step", None)
            steps = Step.objects.filter(version_id=step.version_id) if step else Step.objects.none()
            kwargs["queryset"] = steps.order_by("order", "id")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = step_label
            field.help_text = _("Empty while undecided: the graph check will remind you.")
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StepAdmin(SourceBesideStep, EditsDraft, admin.ModelAdmin):
    form = StepPageForm
    inlines = [MessageInline, ChoiceInline]
    fieldsets = [
        (None, {"fields": ["key", "title", "is_start", "channel"]}),
        (gettext_lazy("Sender"), {"fields": ["sender_name", "sender_handle", "sender_verified"]}),
        (
            gettext_lazy("Ending (leave empty for a scene)"),
            {"fields": ["ending", "text", "loss_kzt"]},
        ),
    ]

    class Media:
        css = {"all": ["css/authoring.css"]}

    def _version_of(self, obj):
        return obj.version

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__scenario__current_version")

    def get_inline_instances(self, request, obj=None):
        if obj is not None and obj.ending:
            return []  # an ending has no messages or choices
        return super().get_inline_instances(request, obj)

    def has_add_permission(self, request):
        return False  # steps are added on their version's page

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_open_draft(obj.version))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or is_open_draft(obj.version))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        request.new_steps = [*getattr(request, "new_steps", []), *getattr(formset, "new_steps", [])]

    def response_post_save_change(self, request, obj):
        """Back to the version's steps; or, when a choice made a new step, on to write it."""
        made = getattr(request, "new_steps", [])
        if made and "_continue" not in request.POST:
            keys = ", ".join(f'"{step.key}"' for step in made)
            message = ngettext(
                "New step %(keys)s made: write it now.",
                "New steps %(keys)s made: write the first now, the others from the version's page.",
                len(made),
            )
            self.message_user(request, message % {"keys": keys}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:scenarios_step_change", args=[made[0].pk]))
        return HttpResponseRedirect(
            reverse("admin:scenarios_scenarioversion_change", args=[obj.version_id])
        )
