"""Play pages of published steps, rendered once from what every player there shares.

A step's page looks the same to every player who reaches it at the same position by the
same choice, in the same session and language. So its shared part is rendered from a
StepPage, a value that holds the version's content and the place in it and nothing of
the player, without the request: a template that reached for the attempt, the run or the
request would find nothing there to print (and the strict render of the tests fails on
it). The key of the cache is made of every field of the StepPage, so it cannot fall
behind what the template reads.

What differs between players is filled in per request into slots (trainer.web.slots):
the CSRF token, the page's own address (the language switcher sends it back as "next";
it names the attempt) and the one-off notices (a refused answer).
"""

from dataclasses import dataclass, fields

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from scenarios.content import ChoiceView, MemoryCache, StepView, VersionContent, on_clear
from trainer.web.slots import SLOT_MARKERS, fill_slots

# Every template rendered from a StepPage: the tests render each of them strictly.
SHARED_TEMPLATES = ("play/play.html",)


@dataclass(frozen=True)
class Progress:
    """How far the player is: steps answered out of the longest way still open to them."""

    done: int
    total: int
    current: int
    finished: bool

    @classmethod
    def of(cls, answered: int, to_go: int) -> "Progress":
        total = max(answered + to_go, 1)
        return cls(answered, total, min(answered + 1, total), to_go == 0)


@dataclass(frozen=True)
class StepPage:
    """Everything the shared part of a step's page shows; nothing of the player."""

    content: VersionContent
    step: StepView
    position: int  # steps answered: the form carries it, so a repeated post counts once
    last_choice: ChoiceView | None  # the choice just taken: its feedback is shown
    session_code: str | None  # the session played in: its banner links back to it

    @property
    def progress(self) -> Progress:
        return Progress.of(self.position, self.step.scenes_to_end)

    def context(self) -> dict:
        """What the templates read: the fields, and the progress made of them."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"progress": self.progress}

    def key(self) -> tuple:
        """Every field, content by its id: a published version never changes."""
        return tuple(_identity(getattr(self, f.name)) for f in fields(self))


def _identity(value):
    return getattr(value, "id", value)


_pages = MemoryCache(4096)
on_clear(_pages.clear)


def render_step(request: HttpRequest, page: StepPage) -> HttpResponse:
    """The play page of `page`, its shared part from memory when the version is published
    (a draft's is rendered every time), with this request's slots filled in."""
    template_name = "play/play.html"
    key = (template_name, get_language(), page.key())
    html = _pages.get_or_make(
        key, lambda: shared_render(template_name, page), keep=page.content.published
    )
    return HttpResponse(_fill(html, request))


def shared_render(template_name: str, page: StepPage) -> str:
    """The shared part: the page's own values and the slots' markers, and no request."""
    if template_name not in SHARED_TEMPLATES:
        raise ValueError(f"{template_name} is not a shared template")
    return render_to_string(template_name, page.context() | SLOT_MARKERS)


def _fill(html: str, request: HttpRequest) -> str:
    return fill_slots(html, request, address=request.get_full_path(), notices=_notices(request))


def _notices(request: HttpRequest) -> str:
    messages = get_messages(request)
    if not len(messages):
        return ""
    return render_to_string("_notices.html", {"messages": messages})
