"""A message's picture, served from the database by its hash (scenarios.models.Picture).

The address names the picture's SHA-256, and a stored picture never changes, so the
answer may be kept by every browser and proxy for a year (`immutable`: no revalidation on
reload). Its ETag is the hash: a browser that asks again with it gets 304 without a
database query. Any app server answers the same, since all read one database.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from scenarios.models import Picture, picture_extension

A_YEAR = 365 * 24 * 60 * 60
CACHE_FOREVER = f"public, max-age={A_YEAR}, immutable"


@require_safe
def picture_file(request: HttpRequest, sha256: str, extension: str) -> HttpResponse:
    etag = f'"{sha256}"'
    asked = request.headers.get("If-None-Match", "")
    if etag in (tag.strip().removeprefix("W/") for tag in asked.split(",")):
        response = HttpResponseNotModified()
    else:
        found = Picture.objects.filter(pk=sha256).values_list("content_type", "data").first()
        if found is None or picture_extension(found[0]) != extension:
            raise Http404
        response = HttpResponse(bytes(found[1]), content_type=found[0])
        response["Content-Length"] = str(len(found[1]))
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_FOREVER
    # Shown only in Saq's own pages: another site may not embed it.
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
