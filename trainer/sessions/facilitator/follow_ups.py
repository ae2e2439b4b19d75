"""Follow-ups: a new session weeks after an earlier one of the same organisation, and the
report that compares the two."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from trainer.models import TrainingSession
from trainer.sessions import charts
from trainer.sessions.csv_export import follow_up_csv
from trainer.sessions.facilitator.access import facilitator_required, own_session
from trainer.sessions.facilitator.reports import csv_delimiter
from trainer.sessions.follow_up import follow_up_report
from trainer.sessions.follow_up_plan import follow_up_plan, played_already
from trainer.sessions.forms import FollowUpForm, LanguagePickForm
from trainer.sessions.services import session_create
from trainer.web.once import act_once, form_key


@require_http_methods(["GET", "POST"])
@facilitator_required
def follow_up_new(request: HttpRequest, session_id) -> HttpResponse:
    """A follow-up to the session: new scenarios or a module, ideally of the red-flag types
    it covered. Choosing scenarios it had already is warned about, not refused."""
    earlier = own_session(request, session_id)
    known = [code for code, _name in settings.LANGUAGES]
    asked = request.POST.get("language") or request.GET.get("language")
    language = asked if asked in known else earlier.language
    form = FollowUpForm(
        request.POST if request.method == "POST" else None, earlier=earlier, language=language
    )
    estimate = None
    if request.method == "POST" and "estimate" in request.POST:
        form.is_valid()
        estimate = form.estimate()  # the form again, with the time its choice takes
    elif request.method == "POST" and form.is_valid():
        data, scenarios = form.cleaned_data, form.chosen_scenarios()
        # Every copy of the form (a double click, a resend) gets the first's follow-up.
        session_id = act_once(
            form_key(request, "follow-up", request.user.pk, earlier.pk),
            lambda: (
                session_create(
                    organisation=earlier.organisation,
                    created_by=request.user,
                    title=data["title"],
                    language=data["language"],
                    scenarios=scenarios,
                    module=data["module"],
                    follow_up_of=earlier,
                ).id
            ),
        )
        again = played_already(earlier, scenarios)
        if again:
            messages.warning(
                request,
                _(
                    "This follow-up has scenarios the group played in “%(title)s”: %(played)s. "
                    "Players who remember them may do better for that reason alone."
                )
                % {
                    "title": earlier.title,
                    "played": ", ".join(f"“{s.current_version.title}”" for s in again),
                },
            )
        response = redirect("facilitator:session", session_id=session_id)
        response.status_code = 303
        return response
    modules = list(form.fields["module"].queryset)
    plan = follow_up_plan(earlier, form.fields["scenarios"].queryset, modules)
    form.offers = plan.scenarios
    context = {
        "earlier": earlier,
        "form": form,
        "estimate": estimate,
        "plan": plan,
        "language": language,
        "language_form": LanguagePickForm(
            label=_("Language of the follow-up"), language=language, submit=_("Show its scenarios")
        ),
        "module_rows": [(module, plan.modules[module.id]) for module in modules],
    }
    return render(request, "facilitator/follow_up_new.html", context)


@require_safe
@facilitator_required
def follow_up_report_view(request: HttpRequest, session_id) -> HttpResponse:
    """The follow-up against the session it follows: the group, and each linked player."""
    session = own_session(request, session_id)
    earlier = _earlier(session)
    report = follow_up_report(session, earlier)
    group = report.group
    context = {
        "session": session,
        "earlier": earlier,
        "report": report,
        "chart": charts.follow_up_chart(group.change) if group.change else None,
    }
    return render(request, "facilitator/follow_up_report.html", context)


@require_safe
@facilitator_required
def follow_up_report_download(request: HttpRequest, session_id) -> HttpResponse:
    """The follow-up report's CSV: a row for the group, one per linked player."""
    session = own_session(request, session_id)
    earlier = _earlier(session)
    body = follow_up_csv(follow_up_report(session, earlier), delimiter=csv_delimiter(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    day = timezone.localtime(session.created_at).date().isoformat()
    name = f"saq-follow-up-{session.code}-of-{earlier.code}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _earlier(session: TrainingSession) -> TrainingSession:
    """The session a follow-up follows, in the same organisation; 404 for any other."""
    earlier = (
        TrainingSession.objects.filter(
            pk=session.follow_up_of_id, organisation_id=session.organisation_id
        ).first()
        if session.follow_up_of_id
        else None
    )
    if earlier is None:
        raise Http404
    return earlier
