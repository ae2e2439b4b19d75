"""Forms of sessions: a facilitator making one, a player joining one. They only validate;
the views hand what they cleaned to trainer.sessions.services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scenarios.models import Module, Scenario
from trainer.models import Organisation, TrainingSession
from trainer.sessions import codes, return_codes
from trainer.sessions.services import NICKNAME_MAX, module_scenarios


class ScenarioChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, scenario: Scenario) -> str:
        return scenario.current_version.title


class ModuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, module: Module) -> str:
        return module.title


class SessionCreateForm(forms.Form):
    """A session from a module, or from published scenarios picked by hand, in one language."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=None, empty_label=None
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        help_text=gettext_lazy("For you and the players, e.g. “Class 9B, Tuesday”."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    module = ModuleChoice(
        label=gettext_lazy("A module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=gettext_lazy("(none: I pick scenarios below)"),
    )
    scenarios = ScenarioChoice(
        label=gettext_lazy("Or scenarios, in this order"),
        queryset=Scenario.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["language"].initial = language
        self.fields["module"].queryset = Module.objects.filter(language=language).order_by("title")
        self.fields["scenarios"].queryset = (
            Scenario.objects.published()
            .filter(language=language)
            .select_related("current_version")
            .order_by("current_version__difficulty", "slug")
        )

    def clean(self):
        cleaned = super().clean()
        module, picked = cleaned.get("module"), cleaned.get("scenarios")
        if module and picked:
            raise forms.ValidationError(_("Choose a module or scenarios, not both."))
        if not module and not picked:
            raise forms.ValidationError(_("Choose a module, or at least one scenario."))
        if module:
            unpublished = [s for s in module_scenarios(module) if s.current_version_id is None]
            if unpublished:
                self.add_error(
                    "module",
                    _("This module has a scenario that is not published yet: %(slugs)s.")
                    % {"slugs": ", ".join(s.slug for s in unpublished)},
                )
            elif not module_scenarios(module):
                self.add_error("module", _("This module has no scenario yet."))
        return cleaned

    def chosen_scenarios(self) -> list[Scenario]:
        module = self.cleaned_data["module"]
        return module_scenarios(module) if module else list(self.cleaned_data["scenarios"])


class FollowUpForm(SessionCreateForm):
    """A follow-up to an earlier session: a new session like any other, in the earlier
    session's organisation, with new scenarios or a module of the same red-flag types."""

    def __init__(self, *args, earlier: TrainingSession, language: str, **kwargs):
        organisation = Organisation.objects.filter(pk=earlier.organisation_id)
        super().__init__(*args, organisations=organisation, language=language, **kwargs)
        del self.fields["organisation"]
        title = _("%(title)s: follow-up") % {"title": earlier.title}
        self.fields["title"].initial = title[: self.fields["title"].max_length]


class CodeField(forms.CharField):
    """A join code as typed: spaces, dashes, small letters and Cyrillic look-alikes are fine."""

    def to_python(self, value):
        return codes.normalise(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if not value or codes.is_well_formed(value):
            return
        if len(value) != codes.LENGTH:
            raise forms.ValidationError(
                _("A join code has 6 characters, like %(example)s. Check it on the screen.")
                % {"example": "7KQ4MX"}
            )
        raise forms.ValidationError(
            _("A join code never holds %(characters)s. Check it on the screen.")
            % {"characters": ", ".join(codes.foreign_characters(value))}
        )


class ReturnCodeField(forms.CharField):
    """A return code as typed, read into its numbers (None when left empty): any case,
    spaces or dashes, in Kazakh, Russian or English words."""

    def clean(self, value):
        typed = super().clean(value)
        if not typed:
            return None
        try:
            return return_codes.parse(typed)
        except return_codes.MalformedReturnCode as slip:
            raise forms.ValidationError(str(slip)) from None


class JoinForm(forms.Form):
    code = CodeField(
        label=gettext_lazy("Join code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    nickname = forms.CharField(
        label=gettext_lazy("Nickname"),
        max_length=NICKNAME_MAX,
        # Nothing the browser remembers about its owner is offered: a nickname is enough.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Any name the group may see. Not your real name if you prefer."),
    )
    return_code = ReturnCodeField(
        label=gettext_lazy("Return code (optional)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=gettext_lazy(
            "Only for a follow-up: the four words you were shown at the end of the earlier "
            "session. It links your results, so your facilitator sees what you kept."
        ),
    )
