"""The Content-Security-Policy on every answer, error pages in DEBUG included."""

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp sends no policy on a 404 or a 500 while DEBUG is on, so that Django's
    debug pages keep their inline style. Saq sends it there too: a 404 page can show what a
    player typed (a join code, a certificate code), and a site run with DEBUG on by mistake
    must not lose the policy. Django's debug pages then show without their colours."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        debug_exempted = settings.DEBUG and response.status_code in (404, 500)
        if (
            debug_exempted
            and HEADER not in response
            and not getattr(response, "_csp_exempt", False)
        ):
            policy = build_policy(
                **asdict(self.get_policy_parts(request=request, response=response))
            )
            if policy:
                response[HEADER] = policy
        return super().process_response(request, response)
