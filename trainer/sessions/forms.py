"""Forms of sessions: a facilitator making one, a player joining one. They only validate;
the views hand what they cleaned to trainer.sessions.services. Each says its layout
(trainer.web.form_layout); Saq's template pack draws it."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from scenarios.models import Module, Scenario
from trainer.models import Organisation, TrainingSession
from trainer.sessions import codes, return_codes, trim
from trainer.sessions.services import NICKNAME_MAX, module_scenarios
from trainer.web.form_layout import (
    Aside,
    Details,
    FieldWith,
    Hidden,
    Once,
    Static,
    Submit,
    form_helper,
)


def minutes_said(minutes: int) -> str:
    return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}


class ScenarioChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, scenario: Scenario) -> str:
        version = scenario.current_version
        return f"{version.title} · {minutes_said(version.minutes)}"


class ModuleChoice(forms.ModelChoiceField):
    def label_from_instance(self, module: Module) -> str:
        return module.title


def module_facts(module: Module) -> str:
    """What a module takes, under the module's choice: "The basics: 9 scenarios, about 35
    minutes of play"."""
    return _("%(title)s: %(scenarios)s, about %(minutes)s of play") % {
        "title": module.title,
        "scenarios": ngettext("%(count)d scenario", "%(count)d scenarios", module.scenario_count)
        % {"count": module.scenario_count},
        "minutes": minutes_said(module.minutes or 0),
    }


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
    # Chosen above the form (LanguagePickForm), which then lists that language's scenarios.
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=settings.LANGUAGES, widget=forms.HiddenInput
    )
    module = ModuleChoice(
        label=gettext_lazy("A module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=gettext_lazy("(none: I pick scenarios below)"),
    )
    short_form = forms.BooleanField(
        label=gettext_lazy("The module's short form, for one lesson"),
        required=False,
        help_text=gettext_lazy(
            "Its first scenarios up to about %(minutes)d minutes of play (at least %(least)d, "
            "a genuine one among them). The checks before and after stay."
        )
        % {"minutes": trim.SHORT_FORM_MINUTES, "least": trim.SHORT_FORM_AT_LEAST},
    )
    scenarios = ScenarioChoice(
        label=gettext_lazy("Or scenarios, in this order"),
        queryset=Scenario.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "With a module: tick the ones of it to play, and its checks before and after stay; "
            "tick none to play all of it."
        ),
    )

    submit_label = gettext_lazy("Make the session")

    def __init__(self, *args, organisations, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["organisation"].queryset = organisations
        self.fields["language"].initial = language
        self.fields["module"].queryset = (
            Module.objects.filter(language=language)
            .annotate(
                scenario_count=Count("entries"),
                minutes=Sum("entries__scenario__current_version__minutes"),
            )
            .order_by("title")
        )
        self.fields["scenarios"].queryset = (
            Scenario.objects.published()
            .filter(language=language)
            .select_related("current_version")
            .order_by("current_version__difficulty", "slug")
        )

    def clean(self):
        cleaned = super().clean()
        module, picked = cleaned.get("module"), cleaned.get("scenarios")
        if not module and not picked:
            raise forms.ValidationError(_("Choose a module, or at least one scenario."))
        if cleaned.get("short_form") and not module:
            self.add_error("short_form", _("A short form is a module's: choose the module."))
        if cleaned.get("short_form") and picked:
            self.add_error(
                "short_form",
                _("Tick the module's scenarios or ask for its short form, not both."),
            )
        if module and picked:
            in_module = module_scenarios(module)
            outside = [s for s in picked if s not in in_module]
            if outside:
                self.add_error(
                    "scenarios",
                    _(
                        "Not in the module “%(module)s”: %(titles)s. Tick only its scenarios, "
                        "or choose no module."
                    )
                    % {
                        "module": module.title,
                        "titles": ", ".join(f"“{s.current_version.title}”" for s in outside),
                    },
                )
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
        """With a module: the ones of it ticked, or its short form, or all of it, in the
        module's order. Without: the scenarios ticked."""
        module, picked = self.cleaned_data["module"], list(self.cleaned_data["scenarios"])
        if not module:
            return picked
        scenarios = module_scenarios(module)
        if picked:
            return trim.trimmed(scenarios, picked)
        if self.cleaned_data.get("short_form"):
            return trim.short_form(scenarios)
        return scenarios

    def estimate(self) -> trim.Estimate | None:
        """The time the choice takes, once the form is validated; None while the module or
        the scenarios are wrong or missing (the title need not be typed yet)."""
        choice_errors = {"module", "scenarios", "short_form", "__all__"} & set(self.errors)
        if choice_errors or "module" not in self.cleaned_data:
            return None
        return trim.estimate(self.chosen_scenarios(), self.cleaned_data["module"])

    @property
    def helper(self):
        return form_helper(
            Once(),
            "language",
            *self.organisation_layout(),
            "title",
            "module",
            Aside(
                "facilitator/_module_facts.html",
                facts=[module_facts(module) for module in self.fields["module"].queryset],
            ),
            "short_form",
            *self.between_module_and_scenarios(),
            self.scenarios_layout(),
            Aside("facilitator/_estimate.html"),
            Submit(self.submit_label),
            Submit(_("Estimate the time"), primary=False, name="estimate"),
            css_class="js-once session-form",
        )

    def organisation_layout(self):
        """One organisation is stated, not asked (unless its value came back refused)."""
        only = list(self.organisations[:2])
        if len(only) == 1 and not self.errors.get("organisation"):
            return [Hidden("organisation", only[0].pk), Static(_("Organisation"), only[0].name)]
        return ["organisation"]

    def between_module_and_scenarios(self):
        return [Aside("facilitator/_guides_link.html")]

    def scenarios_layout(self):
        return FieldWith("scenarios", empty=_("No scenario is published in this language yet."))


class FollowUpForm(SessionCreateForm):
    """A follow-up to an earlier session: a new session like any other, in the earlier
    session's organisation, with new scenarios or a module of the same red-flag types."""

    def __init__(self, *args, earlier: TrainingSession, language: str, **kwargs):
        organisation = Organisation.objects.filter(pk=earlier.organisation_id)
        super().__init__(*args, organisations=organisation, language=language, **kwargs)
        del self.fields["organisation"]
        self.earlier = earlier
        title = _("%(title)s: follow-up") % {"title": earlier.title}
        self.fields["title"].initial = title[: self.fields["title"].max_length]
        self.fields["scenarios"].help_text = gettext_lazy(
            "Under each: its kinds of red flag, ✓ where the earlier session had the same kind."
        )
        # What each scenario offers (trainer.sessions.follow_up_plan), set by the view.
        self.offers = {}

    submit_label = gettext_lazy("Make the follow-up")

    def organisation_layout(self):
        return [Static(_("Organisation"), self.earlier.organisation.name)]

    def between_module_and_scenarios(self):
        return [Aside("facilitator/_module_offers.html")]

    def scenarios_layout(self):
        return FieldWith(
            "scenarios",
            empty=_("No scenario is published in this language yet."),
            notes=self.offers,
            note_template="facilitator/_scenario_offer.html",
        )


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The join page's: the code, a nickname, and a return code folded away.
        self.helper = form_helper(
            "code",
            "nickname",
            Details(_("I have a return code from an earlier session"), "return_code"),
            Submit(_("Join")),
            css_class="join-form js-once",
            form_action=reverse("join"),
        )

    def for_session(self, session: TrainingSession) -> "JoinForm":
        """Laid out for the session's own page, where the code is known: a nickname, and a
        return code when the session follows up another (or when one came back refused)."""
        layout = ["nickname"]
        if session.follow_up_of_id:
            field = self.fields["return_code"]
            field.help_text = " ".join(
                [
                    _(
                        "This session follows up “%(title)s”. If you took part in it, type "
                        "the return code you were shown at its end."
                    )
                    % {"title": session.follow_up_of.title},
                    str(field.help_text),
                ]
            )
            layout.append("return_code")
        elif self.errors.get("return_code"):
            layout.append("return_code")
        self.helper = form_helper(
            *layout,
            Submit(_("Join")),
            css_class="join-form js-once",
            form_action=reverse("join_session", args=[session.code]),
        )
        return self


class RenameForm(forms.Form):
    """The facilitator's new nickname for a player (a rude one, say)."""

    nickname = forms.CharField(label=gettext_lazy("New nickname"), max_length=NICKNAME_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("nickname", Submit(_("Rename")), css_class="js-once")


class LanguagePickForm(forms.Form):
    """The language a new session (or the guides) is shown in: a GET form above the page's
    own form, which then lists what that language has."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)

    def __init__(self, *, label: str, language: str, submit: str):
        super().__init__(initial={"language": language}, auto_id="pick-%s")
        self.fields["language"].label = label
        self.helper = form_helper(
            "language",
            Submit(submit, primary=False),
            method="get",
            css_class="language-pick",
            hide_required_marks=True,
        )


class FacilitatorLoginForm(AuthenticationForm):
    """Django's login, laid out by the pack; `next` carries the page asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "username",
            "password",
            Hidden("next", "{{ next }}"),
            Submit(_("Log in")),
            css_class="js-once",
        )


class FacilitatorPasswordResetForm(PasswordResetForm):
    """Django's password reset: the e-mail address of the account. The answer is the same
    whether an account has it or not, so the form tells nobody who has an account."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("email", Submit(_("Send me a link")), css_class="js-once")


class FacilitatorSetPasswordForm(SetPasswordForm):
    """The new password, from the link in the e-mail (Django's checks of its strength)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "new_password1", "new_password2", Submit(_("Set the password")), css_class="js-once"
        )
