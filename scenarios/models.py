"""Scenario content: red-flag types, scenarios and their versions, steps, messages,
choices, modules.

A scenario is named by slug + language. Its content lives in versions: a
published version never changes, so attempts that began on it can finish on it
and its content can be cached for as long as the process lives.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scenarios.message_kinds import PART_LABELS, PARTS, TEXT, kind_choices

# The key used for a red-flag type's text given as one plain string in a pack:
# it stands for every language that has no text of its own.
ANY_LANGUAGE = "any"


class Channel(models.TextChoices):
    SOCIAL_DM = "social_dm", _("Social network direct messages")
    MESSENGER = "messenger", _("Messenger chat")
    SMS = "sms", _("SMS")
    PHONE_CALL = "phone_call", _("Phone call")
    EMAIL = "email", _("E-mail")
    WEB_PAGE = "web_page", _("Web page")
    CLASSIFIED_AD = "classified_ad", _("Classified ad")


# "Safe" names both a kind of ending and a verdict on a choice; in Kazakh and Russian these
# are different words, so each label carries its context.
class Ending(models.TextChoices):
    SCAMMED = "scammed", pgettext_lazy("kind of ending", "Scammed")
    SAFE = "safe", pgettext_lazy("kind of ending", "Safe")
    PARTLY_SAFE = "partly_safe", pgettext_lazy("kind of ending", "Partly safe")


class Verdict(models.TextChoices):
    SAFE = "safe", pgettext_lazy("verdict of a choice", "Safe")
    RISKY = "risky", pgettext_lazy("verdict of a choice", "Risky")
    HARMFUL = "harmful", pgettext_lazy("verdict of a choice", "Harmful")


def text_in_language(texts: dict[str, str], language: str | None = None) -> str:
    """Pick the text for a language from {"kk": ..., "ru": ..., "en": ..., "any": ...}."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    for key in (language, ANY_LANGUAGE, "en", "ru", "kk"):
        if texts.get(key):
            return texts[key]
    return ""


class AsksFor(models.TextChoices):
    """What a kind of trick gets the player to give away: it decides what a player who gave
    it can do at once (trainer.play.aftercare)."""

    NOTHING = "nothing", _("nothing of the player's own")
    CARD_DATA = "card_data", _("card data or a code from an SMS")
    PERSONAL_DATA = "personal_data", _("personal or ID data")
    ACCOUNT_ACCESS = "account_access", _("a password or a sign-in code")
    APP_INSTALL = "app_install", _("an app or a file to install")


class RedFlagType(models.Model):
    """One kind of trick (prepayment, pressure...). One row whatever the languages.

    Its code is its identity: set once, never changed (a new code is a new type), so a code
    kept anywhere, in a pack, a report or memory, always names the same type."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.JSONField(_("name"), default=dict, help_text=_("Name per language code."))
    advice = models.JSONField(_("advice"), default=dict, help_text=_("Advice per language code."))
    asks_for = models.CharField(
        _("asks for"),
        max_length=20,
        choices=AsksFor.choices,
        default=AsksFor.NOTHING,
        help_text=_("What the trick gets the player to give away: it decides what to do now."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("red-flag type")
        verbose_name_plural = _("red-flag types")

    def __str__(self) -> str:
        return self.code

    def name_in(self, language: str | None = None) -> str:
        return text_in_language(self.name, language) or self.code

    def advice_in(self, language: str | None = None) -> str:
        return text_in_language(self.advice, language)


class Basis(models.TextChoices):
    """What a scenario stands on: one documented case, or a composite of documented schemes."""

    CASE = "case", _("Documented case")
    COMPOSITE = "composite", _("Composite of documented schemes")


class Audience(models.TextChoices):
    """Whom a module is written for; the catalogue lists modules by audience."""

    PUPILS = "pupils", _("For pupils and students")
    WORK = "work", _("At work")
    FAMILIES = "families", _("For older people and families")
    EVERYONE = "everyone", _("For everyone")


# A module's audience when its author names none; packs leave it out at this value.
DEFAULT_AUDIENCE = Audience.EVERYONE


class ScenarioQuerySet(models.QuerySet):
    def published(self):
        return self.filter(current_version__isnull=False)

    def in_language(self, language: str):
        return self.filter(language=language)


class Scenario(models.Model):
    """The identity of a scenario in one language; its content is in versions."""

    slug = models.SlugField(_("slug"), max_length=100)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    current_version = models.ForeignKey(
        "ScenarioVersion",
        verbose_name=_("published version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The version players start now; empty while nothing is published."),
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="scenario_slug_language")
        ]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"


class ScenarioVersion(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    legitimate = models.BooleanField(
        _("legitimate"), default=False, help_text=_("A genuine offer or notice, not a scam.")
    )
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), default=1)
    based_on = models.TextField(
        _("based on"),
        blank=True,
        help_text=_("The documented case or schemes behind the story, as players read it."),
    )
    basis = models.CharField(
        _("basis"),
        max_length=10,
        choices=Basis.choices,
        blank=True,
        help_text=_("A documented case, or a composite of documented schemes."),
    )
    sources = models.JSONField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_("Ids of the public sources behind the story's facts (content/SOURCES.md)."),
    )
    # What players see: the author's own figure when there is one, otherwise an estimate
    # from the text (scenarios.packs.importer.estimated_minutes), made when it is published.
    minutes = models.PositiveSmallIntegerField(_("minutes to play"), default=1)
    minutes_given = models.PositiveSmallIntegerField(
        _("minutes to play, as the author gives them"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Leave empty to have them estimated from the text. Give the same figure in every "
            "language of a scenario."
        ),
    )
    # Questions a facilitator can ask the group after the scenario: the facilitator's guide
    # of every module that holds it lists them (trainer/sessions/guide.py).
    discussion = models.JSONField(
        _("discussion questions"),
        default=list,
        blank=True,
        help_text=_("Questions for a group to talk over after playing, one per line."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the version came from, beside who published it: the pack file an import read
    # (empty when an author wrote it), and the version a translation was copied from (its
    # step editor shows that version's text beside each field).
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True)
    translated_from = models.ForeignKey(
        "self",
        verbose_name=_("translated from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["scenario", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="version_number")
        ]
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")

    def __str__(self) -> str:
        return f"{self.scenario} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Step(models.Model):
    """A scene (messages and choices) or, when `ending` is set, an ending."""

    version = models.ForeignKey(ScenarioVersion, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(_("key"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_start = models.BooleanField(_("start"), default=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    sender_verified = models.BooleanField(_("sender verified"), default=False)
    sender_handle = models.CharField(
        _("sender's handle or number"),
        max_length=200,
        blank=True,
        help_text=_("The account name or phone number the channel shows under the name."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text=_("How this step is drawn; empty for the scenario's channel."),
    )
    ending = models.CharField(_("ending"), max_length=20, choices=Ending.choices, blank=True)
    text = models.TextField(_("ending text"), blank=True)
    loss_kzt = models.PositiveBigIntegerField(_("loss in tenge"), null=True, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="step_key")]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.key


class Message(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="messages")
    key = models.SlugField(_("key"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=20, choices=kind_choices(), default=TEXT, db_default=TEXT
    )
    text = models.TextField(_("text"), blank=True)
    # The fields of its kind (scenarios.message_kinds): a link's address, a payment's card...
    details = models.JSONField(_("details"), default=dict, blank=True)
    flag = models.ForeignKey(
        RedFlagType,
        verbose_name=_("red flag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    explanation = models.TextField(_("explanation"), blank=True)
    # Where the flag sits: empty for the message's words, or the part of its kind ("link"...).
    flag_part = models.CharField(
        _("flag on"),
        max_length=20,
        blank=True,
        choices=[(part, PART_LABELS[part]) for part in PARTS],
        help_text=_("Empty when the red flag is in the words; otherwise the part that carries it."),
    )

    class Meta:
        ordering = ["step", "order"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.key


class Choice(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    feedback = models.TextField(_("feedback"), blank=True)
    says = models.TextField(
        _("the player says"),
        blank=True,
        help_text=_(
            "What the player writes or says when choosing this: shown in the conversation."
        ),
    )
    # Empty while a draft's choice leads nowhere yet (or its step was deleted): the graph
    # check names it and refuses to publish, so a published choice always leads somewhere.
    next_step = models.ForeignKey(
        Step,
        verbose_name=_("next step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming",
    )

    class Meta:
        ordering = ["step", "order"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class ModuleQuerySet(models.QuerySet):
    def published(self):
        """Modules that can be played now: at least one scenario, and every one published.

        Each carries `scenario_count`."""
        return self.annotate(
            scenario_count=models.Count("entries"),
            unpublished_count=models.Count(
                "entries", filter=models.Q(entries__scenario__current_version__isnull=True)
            ),
        ).filter(scenario_count__gt=0, unpublished_count=0)


# A module's pass mark when its author sets none; packs leave it out at this value.
DEFAULT_PASS_MARK = 70
# Messages in each check of a module when its author sets none: 10 scams and 10 genuine,
# enough that one changed answer moves a player's d' by about 0.3 rather than 0.6.
DEFAULT_CHECK_SIZE = 20


class Module(models.Model):
    """An ordered set of scenarios in one language, with a pool of check items."""

    slug = models.SlugField(_("slug"), max_length=100)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=DEFAULT_PASS_MARK,
        validators=[MaxValueValidator(100)],
        help_text=_("The module score, out of 100, that earns a certificate."),
    )
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        default=DEFAULT_AUDIENCE,
        help_text=_("Whom the module is written for; the catalogue lists modules by audience."),
    )
    # The facilitator's guide: what to say before and after, and the plans of a school lesson
    # and a workplace session (docs/scenario-pack.md, "The facilitator's guide").
    guide = models.JSONField(_("facilitator's guide"), default=dict, blank=True)
    check_size = models.PositiveSmallIntegerField(
        _("check size"),
        default=DEFAULT_CHECK_SIZE,
        help_text=_(
            "Messages in each check, half scams and half genuine; each form of the pool "
            "needs as many of each."
        ),
    )
    scenarios = models.ManyToManyField(Scenario, through="ModuleScenario", related_name="modules")

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="module_slug_language"),
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="module_pass_mark_at_most_100"
            ),
        ]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"


class ModuleScenario(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="entries")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["module", "order"]
        constraints = [
            models.UniqueConstraint(fields=["module", "scenario"], name="module_scenario_once")
        ]

    def __str__(self) -> str:
        return f"{self.module} #{self.order}: {self.scenario}"


class CheckForm(models.TextChoices):
    """Which part of a module's pool an item belongs to: one of the two parallel forms of
    the check, or the items kept for the booster. Unassigned items are shared out between
    the forms when a check is drawn (trainer.runs.draw)."""

    A = "a", _("form A")
    B = "b", _("form B")
    BOOSTER = "booster", _("booster")


class CheckItemQuerySet(models.QuerySet):
    def in_pool(self):
        """The items a new run or a booster may draw: those not retired."""
        return self.filter(retired_at__isnull=True)


class CheckItem(models.Model):
    """A short single message for the before-and-after check: scam or not?

    An item is never deleted once a run has drawn it: a module pack imported again without
    it retires it instead, so runs that drew it still finish and reports still read it."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="check_items")
    key = models.SlugField(_("key"), max_length=100)
    order = models.PositiveIntegerField(default=0)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    sender = models.CharField(_("sender"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    legitimate = models.BooleanField(_("legitimate"))
    flag = models.ForeignKey(
        RedFlagType, null=True, blank=True, on_delete=models.PROTECT, related_name="check_items"
    )
    form = models.CharField(
        _("form"),
        max_length=7,
        choices=CheckForm.choices,
        blank=True,
        help_text=_(
            "Form A or B of the check, or kept for the booster; left empty, the item is "
            "shared out between the two forms."
        ),
    )
    # Set when a pack imported again left the item out: no new run or booster draws it.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    objects = CheckItemQuerySet.as_manager()

    class Meta:
        ordering = ["module", "order"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="check_item_key")]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")

    def __str__(self) -> str:
        return self.key
