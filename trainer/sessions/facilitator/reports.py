"""After the session: the report as a page with SVG charts, and as CSV for Excel."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from trainer.sessions import charts
from trainer.sessions.csv_export import report_csv
from trainer.sessions.facilitator.access import facilitator_required, own_session
from trainer.sessions.report import session_report


@require_safe
@facilitator_required
def report(request: HttpRequest, session_id) -> HttpResponse:
    session = own_session(request, session_id)
    data = session_report(session)
    context = {
        "session": session,
        "report": data,
        "check_chart": charts.check_chart(data.check) if data.check else None,
    }
    return render(request, "facilitator/report.html", context)


@require_safe
@facilitator_required
def report_download(request: HttpRequest, session_id) -> HttpResponse:
    """The report's CSV: UTF-8 with a byte-order mark, so Excel reads Kazakh and Russian
    nicknames right; ?delimiter=semicolon for an Excel whose list separator is ";"."""
    session = own_session(request, session_id)
    body = report_csv(session_report(session), delimiter=csv_delimiter(request))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    day = timezone.localtime(session.created_at).date().isoformat()
    name = f"saq-report-{session.code}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_delimiter(request: HttpRequest) -> str:
    return ";" if request.GET.get("delimiter") == "semicolon" else ","
