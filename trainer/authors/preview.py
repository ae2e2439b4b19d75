"""An author plays a draft from the admin exactly as a player will.

The preview is an ordinary attempt marked `preview`, played through the ordinary play
pages. A draft's pages are never cached (scenarios.content caches only published
versions, trainer.play.page_cache only their pages), the catalogue lists only published
versions, and every statistic reads `Attempt.objects.counted()`, which leaves previews out.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scenarios.authoring.drafts import is_open_draft
from scenarios.models import ScenarioVersion, Step
from trainer.models import Attempt
from trainer.web.once import act_once, form_key
from trainer.web.player import new_player_key, player_key, remember_player


def previews_discard(version_id: int) -> None:
    """Throw away a draft's previews before it is edited: they hold on to its steps."""
    Attempt.objects.filter(version_id=version_id, preview=True).delete()


@staff_member_required
@require_POST
def preview_start(request: HttpRequest, version_id: int) -> HttpResponse:
    if not request.user.has_perm("scenarios.view_scenarioversion"):
        raise PermissionDenied
    version = get_object_or_404(
        ScenarioVersion.objects.select_related("scenario__current_version"), pk=version_id
    )
    edit = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    if not is_open_draft(version):
        messages.error(request, _("Only a draft is previewed; a published version is played."))
        return HttpResponseRedirect(edit)
    # A draft with errors is played as far as it goes: a choice that leads nowhere stops
    # the preview there (trainer.play.services.attempt_answer says so). Only publishing
    # waits for the graph check.
    first = _first_step(version, request.POST.get("step"))
    if first is None:
        if request.POST.get("step"):
            message = _("Choose a scene of this draft to test from, not an ending.")
        else:
            message = _(
                "The draft has no single start to play from: mark one scene as the start, "
                'or use "Test from this step" on a step\'s page.'
            )
        messages.error(request, message)
        return HttpResponseRedirect(edit)
    key = player_key(request) or new_player_key()
    # Every copy of the button's form (a double click) gets the preview the first began.
    # Keyed by the author, not the browser's player key: a browser without one yet gets
    # the first copy's key with its answer.
    attempt_id = act_once(
        form_key(request, "preview", request.user.pk, version.pk, first.pk),
        lambda: (
            Attempt.objects.create(
                player_key=key,
                scenario_id=version.scenario_id,
                version=version,
                current_step=first,
                preview=True,
            ).id
        ),
    )
    response = HttpResponseRedirect(reverse("play", args=[attempt_id]))
    response.status_code = 303
    if player_key(request) is None:
        owner = Attempt.objects.values_list("player_key", flat=True).get(pk=attempt_id)
        remember_player(response, owner)
    return response


def _first_step(version: ScenarioVersion, chosen: str | None) -> Step | None:
    """The scene the preview begins on: the one asked for ("test from this step"), else
    the start; None when that is no scene of this draft, or the start is not one scene."""
    scenes = Step.objects.filter(version=version, ending="")
    if chosen:
        return scenes.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    starts = list(Step.objects.filter(version=version, is_start=True)[:2])
    return starts[0] if len(starts) == 1 and not starts[0].ending else None
