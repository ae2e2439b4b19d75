"""Who may see what in the facilitator's area.

Three guards on every view: an anonymous visitor is sent to log in; a signed-in account
without a facilitator's role anywhere (an author, plain staff, even a superuser) gets 403;
a facilitator asking for another organisation's session gets 404, as if it did not exist.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from trainer.models import Membership, Organisation, TrainingSession


def facilitator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not Membership.objects.facilitators().filter(user=request.user).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def own_session(request: HttpRequest, session_id) -> TrainingSession:
    """The session, if one of the user's organisations runs it; anyone else gets 404."""
    return get_object_or_404(
        TrainingSession.objects.run_by(request.user).select_related("organisation", "module"),
        pk=session_id,
    )


def own_organisations(user):
    return Organisation.objects.filter(
        memberships__in=Membership.objects.facilitators().filter(user=user)
    ).order_by("name")
