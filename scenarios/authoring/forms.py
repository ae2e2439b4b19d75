"""Forms of the authoring admin: what an author types, checked before anything is saved."""

import re

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Max
from django.utils.functional import lazy
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scenarios.message_kinds import TEXT, detail_problems, flag_part_problem
from scenarios.models import (
    Channel,
    Message,
    Module,
    Picture,
    RedFlagType,
    Scenario,
    ScenarioVersion,
    Step,
)
from scenarios.packs.picture_rules import alt_language_problem
from scenarios.packs.validation import guide_problems
from scenarios.pictures import PictureRefused, picture_clean

KEY_VALIDATOR = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*\Z",
    _('Use small Latin letters, digits, "-" and "_", starting with a letter or a digit.'),
)
LANGUAGE_NAMES = dict(settings.LANGUAGES)
# As many questions as a pack's "discussion" may hold (scenarios/packs/schema.json).
DISCUSSION_MAX = 10
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")


class ScenarioCreateForm(forms.ModelForm):
    """A new scenario: its name in the site's addresses, its language, and its first draft."""

    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea, required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    legitimate = forms.BooleanField(
        label=_("legitimate"),
        required=False,
        help_text=_("A genuine offer or notice, not a scam."),
    )
    difficulty = forms.IntegerField(label=_("difficulty"), min_value=1, max_value=5, initial=1)
    based_on = forms.CharField(
        label=_("based on"),
        widget=forms.Textarea,
        required=False,
        help_text=_("The documented case or schemes behind the story, as players read it."),
    )

    class Meta:
        model = Scenario
        fields = ["slug", "language"]
        help_texts = {
            "slug": _("The scenario's name in web addresses, e.g. instagram-phone-seller."),
        }

    version_fields = ("title", "summary", "channel", "legitimate", "difficulty", "based_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].validators.append(KEY_VALIDATOR)


class SourcesField(forms.CharField):
    """The ids of a version's sources, typed one per line or separated by commas."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        ids = [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]
        return list(dict.fromkeys(ids))

    def validate(self, value):
        super().validate(value)
        wrong = [source for source in value if not SOURCE_ID.match(source)]
        if wrong:
            message = _(
                'Not a source id: %(ids)s. An id is small Latin letters, digits, "-" and "_", '
                "as in the headings of content/SOURCES.md."
            )
            raise forms.ValidationError(message % {"ids": ", ".join(wrong)})


class LinesField(forms.CharField):
    """A list of texts, typed one per line; empty lines are dropped."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class VersionForm(forms.ModelForm):
    sources = SourcesField(
        label=_("sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One source id per line, as in the headings of content/SOURCES.md."),
    )
    discussion = LinesField(
        label=_("discussion questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Questions for a group to talk over after playing, one per line."),
    )

    class Meta:
        model = ScenarioVersion
        fields = [
            "title",
            "summary",
            "channel",
            "legitimate",
            "difficulty",
            "minutes_given",
            "based_on",
            "basis",
            "sources",
            "discussion",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_discussion(self):
        questions = self.cleaned_data["discussion"]
        if len(questions) > DISCUSSION_MAX:
            raise forms.ValidationError(
                _("At most %(count)d questions, one per line.") % {"count": DISCUSSION_MAX}
            )
        return questions

    def clean_difficulty(self):
        difficulty = self.cleaned_data["difficulty"]
        if not 1 <= difficulty <= 5:
            raise forms.ValidationError(_("Difficulty goes from 1 (easy) to 5 (hard)."))
        return difficulty


class LabelledRows:
    """The admin's tables of rows label their columns once, in the header; a screen reader
    (and axe) needs each control named, so every field of a row gets an aria-label: its
    column's name and the row's number."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if field.widget.is_hidden:
                continue
            values = {"field": capfirst(field.label or ""), "row": (index or 0) + 1}
            label = gettext("%(field)s, row %(row)d") % values
            # The admin's wrapper of a related field renders its inner widget, and shares
            # its attrs between copies: each gets a dict of its own.
            for widget in (field.widget, getattr(field.widget, "widget", None)):
                if widget is not None:
                    widget.attrs = {**widget.attrs, "aria-label": label}


class KeyedInlineFormSet(LabelledRows, forms.BaseInlineFormSet):
    """Rows with a key and an order that an author may leave empty: the key is made from
    the title (or numbered), the order puts a row after the others. Both are settled before
    the formset checks that keys are unique, so two empty keys never clash."""

    key_prefix = "item"

    def existing_keys(self) -> set[str]:
        return set()

    def clean(self):
        rows = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form) and hasattr(form, "cleaned_data")
        ]
        taken = self.existing_keys() | {f.cleaned_data.get("key") for f in rows} - {None, ""}
        orders = [f.cleaned_data.get("order") for f in rows]
        after = max((order for order in orders if order is not None), default=-1) + 1
        for form in rows:
            if form.cleaned_data.get("order") is None:
                form.cleaned_data["order"] = form.instance.order = after
                after += 1
            if not form.cleaned_data.get("key"):
                key = _free_key(self.key_base(form), taken)
                taken.add(key)
                form.cleaned_data["key"] = form.instance.key = key
        super().clean()

    def key_base(self, form) -> str:
        return self.key_prefix


def _free_key(base: str, taken: set[str]) -> str:
    base = base[:90] or "item"
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def key_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("key"),
        max_length=100,
        required=False,
        validators=[KEY_VALIDATOR],
        help_text=help_text,
    )


def order_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("order"),
        min_value=0,
        required=False,
        help_text=_("Empty: after the others."),
        widget=forms.NumberInput(attrs={"class": "order-input"}),
    )


class StepRowForm(forms.ModelForm):
    key = key_field(_("A short name for links between steps; made from the title if empty."))
    order = order_field()


class StepPageForm(forms.ModelForm):
    """A step on its own page: its key follows the same rule as in a pack."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].validators.append(KEY_VALIDATOR)


class StepFormSet(KeyedInlineFormSet):
    def existing_keys(self) -> set[str]:
        kept = {form.instance.pk for form in self.forms if form.instance.pk}
        if self.instance.pk is None:
            return set()
        steps = self.instance.steps.exclude(pk__in=kept)
        return set(steps.values_list("key", flat=True))

    def key_base(self, form) -> str:
        return slugify(form.cleaned_data.get("title") or "")[:60] or "step"


class MessageRowForm(forms.ModelForm):
    """A message; a picture uploaded with it is checked and re-encoded (scenarios.pictures)
    and needs its text (alt) in the scenario's language."""

    key = key_field(_("Filled in for you if empty."))
    order = order_field()
    upload = forms.FileField(
        label=_("New picture"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 5 MB; it is re-encoded without its metadata."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    drop_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    def _picture_check(self, data: dict) -> None:
        """An uploaded picture checked and re-encoded, kept for `save`; a picture (new or
        kept) needs its text, written in the scenario's language."""
        upload = data.get("upload")
        self.clean_picture = None
        if upload:
            try:
                self.clean_picture = picture_clean(upload.read(), upload.name)
            except PictureRefused as refused:
                self.add_error("upload", str(refused))
                return
        keeps = self.instance.picture_id and not data.get("drop_picture")
        alt = (data.get("alt") or "").strip()
        if (self.clean_picture or keeps) and not alt:
            self.add_error("alt", _("A picture needs its text: what it shows, in words."))
        elif alt and self.instance.step_id:
            problem = alt_language_problem(alt, self.instance.step.version.scenario.language)
            if problem:
                self.add_error("alt", problem)

    def save(self, commit=True):
        message = super().save(commit=False)
        if self.clean_picture is not None:
            found = self.clean_picture
            message.picture, _created = Picture.objects.get_or_create(
                sha256=found.sha256,
                defaults={
                    "content_type": found.content_type,
                    "width": found.width,
                    "height": found.height,
                    "data": found.data,
                },
            )
        elif self.cleaned_data.get("drop_picture"):
            message.picture, message.alt = None, ""
        if commit:
            message.save()
        return message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = False  # left out, a message is text
        if "details" in self.fields:
            self.fields["details"].required = False
            self.fields["details"].help_text = _(
                'The fields of its kind, as in a pack: a link {"url": ..., "title": ...}; a '
                'sender {"name": ..., "handle": ..., "verified": true}; a payment {"amount": '
                '..., "to": ..., "recipient": ...}; an attachment {"file_name": ..., "size": '
                '..., "file_type": ...}. Empty for text.'
            )

    def clean(self):
        """A message's kind and fields checked by the same rules as a pack's, each problem
        named by the field it is about; and its picture."""
        data = super().clean()
        self._picture_check(data)
        data["kind"] = self.instance.kind = kind = data.get("kind") or TEXT
        details = data.get("details")
        if details is None:
            data["details"] = self.instance.details = details = {}
        if not isinstance(details, dict):
            self.add_error("details", _('Write the fields as an object: {"url": "https://…"}.'))
            return data
        for name, problem in detail_problems(kind, data.get("text") or "", details):
            field = name if name in ("text", "kind") else "details"
            self.add_error(field, f"{name}: {problem}" if field == "details" else problem)
        part_problem = flag_part_problem(
            kind, data.get("text") or "", data.get("flag_part") or "", data.get("flag") is not None
        )
        if part_problem:
            self.add_error("flag_part", part_problem)
        return data


class MessageFormSet(KeyedInlineFormSet):
    """Message keys are unique within the whole scenario, as in a pack."""

    key_prefix = "m"

    def existing_keys(self) -> set[str]:
        if self.instance.pk is None:
            return set()
        others = Message.objects.filter(step__version_id=self.instance.version_id).exclude(
            step=self.instance
        )
        return set(others.values_list("key", flat=True))

    def key_base(self, form) -> str:
        return f"{self.instance.key}-m"


class ChoiceRowForm(forms.ModelForm):
    order = order_field()
    # Naming a step that does not exist yet makes it, empty, when the choice is saved: an
    # author writes a choice and the step it leads to without a trip to the version's page.
    new_step = forms.CharField(
        label=_("or a new step"),
        required=False,
        max_length=100,
        validators=[KEY_VALIDATOR],
        help_text=_("A key for a new step, made for you to write next."),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_step") and data.get("next_step"):
            message = _("Pick a next step or name a new one, not both.")
            self.add_error("new_step", message)
        return data


class ChoiceFormSet(LabelledRows, forms.BaseInlineFormSet):
    """A step's choices; a choice naming a new step makes it (once, however many name it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_steps: list[Step] = []

    def _taken_keys(self) -> set[str]:
        if self.instance is None or not self.instance.version_id:
            return set()
        return set(
            Step.objects.filter(version_id=self.instance.version_id).values_list("key", flat=True)
        )

    def save_new(self, form, commit=True):
        self._lead_to_new_step(form)
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        self._lead_to_new_step(form)
        return super().save_existing(form, obj, commit)

    def _lead_to_new_step(self, form) -> None:
        key = form.cleaned_data.get("new_step")
        if not key:
            return
        version_id = self.instance.version_id
        last = Step.objects.filter(version_id=version_id).aggregate(last=Max("order"))["last"]
        step, created = Step.objects.get_or_create(
            version_id=version_id, key=key, defaults={"order": (last or 0) + 1}
        )
        if created:
            self.new_steps.append(step)
        form.instance.next_step = step

    def clean(self):
        rows = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and (form.has_changed() or form.instance.pk)
            if not self._should_delete_form(form)
        ]
        orders = [f.cleaned_data.get("order") for f in rows]
        after = max((order for order in orders if order is not None), default=-1) + 1
        for form in rows:
            if form.cleaned_data.get("order") is None:
                form.cleaned_data["order"] = form.instance.order = after
                after += 1
        taken = self._taken_keys() if any(f.cleaned_data.get("new_step") for f in rows) else ()
        for form in rows:
            if form.cleaned_data.get("new_step") in taken:
                message = _(
                    "This draft has a step with this key already: pick it as the next step."
                )
                form.add_error("new_step", message)
        super().clean()


def language_label(template: str, language) -> str:
    """A label such as "name (Kazakh)", translated when shown rather than when imported."""
    return lazy(lambda: gettext(template) % {"language": language}, str)()


def _language_fields() -> dict[str, forms.Field]:
    fields = {}
    for code, language in settings.LANGUAGES:
        fields[f"name_{code}"] = forms.CharField(
            label=language_label("name (%(language)s)", language),
            required=code == settings.LANGUAGE_CODE,
            max_length=200,
        )
    for code, language in settings.LANGUAGES:
        fields[f"advice_{code}"] = forms.CharField(
            label=language_label("advice (%(language)s)", language),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return fields


class RedFlagTypeBaseForm(forms.ModelForm):
    """A red-flag type's name and advice in each of the site's languages, side by side.
    Other keys of the stored texts (the any-language text a pack may give) are kept."""

    class Meta:
        model = RedFlagType
        fields = ["code", "asks_for"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:  # only while adding: the admin shows a saved code read-only
            self.fields["code"].validators.append(KEY_VALIDATOR)
        for code, _language in settings.LANGUAGES:
            self.initial.setdefault(f"name_{code}", self.instance.name.get(code, ""))
            self.initial.setdefault(f"advice_{code}", self.instance.advice.get(code, ""))

    def save(self, commit=True):
        flag_type = super().save(commit=False)
        name, advice = dict(flag_type.name), dict(flag_type.advice)
        for code, _language in settings.LANGUAGES:
            for texts, field in ((name, f"name_{code}"), (advice, f"advice_{code}")):
                value = self.cleaned_data.get(field, "").strip()
                if value:
                    texts[code] = value
                else:
                    texts.pop(code, None)
        flag_type.name, flag_type.advice = name, advice
        if commit:
            flag_type.save()
        return flag_type


# The language fields are declared on the class, so the admin can lay them out.
RedFlagTypeForm = type("RedFlagTypeForm", (RedFlagTypeBaseForm,), _language_fields())


class ModuleForm(forms.ModelForm):
    """A module in the admin; its guide, typed as JSON, is held to the pack's rules for it.
    Its scenarios are ordered in the inline of ModuleScenario rows, not in a second list."""

    class Meta:
        model = Module
        fields = [
            "slug",
            "language",
            "title",
            "summary",
            "pass_mark",
            "audience",
            "check_size",
            "guide",
        ]

    def clean_guide(self):
        guide = self.cleaned_data.get("guide") or {}
        if guide:
            problems = guide_problems(guide)
            if problems:
                raise forms.ValidationError(problems)
        return guide


class ModuleScenarioFormSet(forms.BaseInlineFormSet):
    """A module's scenarios are in its language: a run, a session and the catalogue play a
    module's scenarios in the module's language, and a scenario of another would be played
    inside it (or refused when a session is made from it)."""

    def clean(self):
        super().clean()
        language = self.instance.language
        names = dict(settings.LANGUAGES)
        for form in self.forms:
            scenario = getattr(form, "cleaned_data", {}).get("scenario")
            if not scenario or form.cleaned_data.get("DELETE") or scenario.language == language:
                continue
            message = gettext(
                "%(scenario)s is in %(its_language)s and this module is in %(language)s: "
                "choose the scenario in %(language)s"
            )
            values = {
                "scenario": scenario.slug,
                "its_language": names.get(scenario.language, scenario.language),
                "language": names.get(language, language),
            }
            form.add_error("scenario", message % values)
