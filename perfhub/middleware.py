"""Project-wide request and response rules that no single view should have to remember."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_null_characters(get_response):
    """A NUL character in the path or a parameter is refused with 400: no one types one, and
    PostgreSQL cannot compare text that holds it."""

    def middleware(request):
        parameters = [*request.GET.lists()]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            parameters += request.POST.lists()
            parameters += [(name, [upload.name for upload in uploads]) for name, uploads in request.FILES.lists()]
        texts = [request.path] + [text for key, values in parameters for text in (key, *values)]
        if any("\x00" in text for text in texts):
            return HttpResponseBadRequest("The address or form holds a NUL character.")
        return get_response(request)

    return middleware


def private_no_store(get_response):
    """Pages and downloads hold the council's figures for one signed-in person: no shared or
    browser cache keeps them (static files are served before this, by WhiteNoise)."""

    def middleware(request):
        response = get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


class RefuseBadNumbers:
    """An identifier that is no number (`/admin/.../abc/history/`, `_selected_action=abc`) or a
    number too large for the database (`?service=99999999999999999999`) is a bad request (400),
    whichever view reads it, not a server error: the database's own words for both are caught
    here, and nothing else is."""

    NOT_A_NUMBER = "expected a number but got"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError) or (
            isinstance(exception, (ValueError, ValidationError)) and self.NOT_A_NUMBER in str(exception)
        ):
            return HttpResponseBadRequest("The address or form holds a number or an identifier that is not one.")
        return None


LIVENESS_PATH = "/healthz/live"


def liveness(get_response):
    """`/healthz/live` answers "ok" before any other middleware: the process is up and serving.
    No query, no session, no host check (docker-compose's healthcheck asks by the container's own
    address, which ALLOWED_HOSTS need not list), no HTTPS redirect behind the council's proxy."""

    def middleware(request):
        if request.path == LIVENESS_PATH and request.method in ("GET", "HEAD"):
            return HttpResponse(b"ok\n", content_type="text/plain")
        return get_response(request)

    return middleware
