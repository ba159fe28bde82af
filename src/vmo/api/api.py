"""The REST API under /api/v1/, described by OpenAPI 3 at /api/v1/openapi.json.

The interactive docs at /api/v1/docs are Swagger UI served from the static files that the
django-ninja package itself ships (ninja is in INSTALLED_APPS, so its non-CDN template is used):
no CDN, nothing inline, so the page works under our Content-Security-Policy and on a closed network.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from . import accounts, errors, status
from .auth import AUTH
from .contract import declare_refusals

DESCRIPTION = """
The online services of the vehicle management office for API clients.

**Authentication.** Get a token with `POST /api/v1/auth/token` (mobile number or ID number and
password) and send it as `Authorization: Bearer <token>`. A browser signed in to the site may
call the API with its session instead (unsafe methods then need the `X-CSRFToken` header).

Registered organisations call the check API (`POST /api/v1/checks`) with the API key the
office issued them, as `X-API-Key: <key>`.

**Errors.** Every error has the same shape and lists every problem at once:
`{"errors": [{"field": "phone", "code": "invalid", "message": "..."}]}`. `field` is null for a
problem with the request as a whole. Messages follow `Accept-Language` (Simplified Chinese by
default, English with `Accept-Language: en`).

**Money** is in integer fen (1/100 yuan). **Times** are in Asia/Shanghai.
"""

api = NinjaAPI(
    title="Vehicle Management Office API",
    version="1",
    description=DESCRIPTION,
    auth=AUTH,
    urls_namespace="api",
    # Swagger UI reaches nothing outside the site: no validator badge from the internet.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)

api.add_router("/me/", status.router)
api.add_router("/me/credentials/", "vmo.api.credentials.router")
api.add_router("/credentials/", "vmo.api.credentials.public")
api.add_router("/auth/", accounts.router)
api.add_router("/intake/", "vmo.api.intake.router")
api.add_router("/", "vmo.api.violations.router")  # /violations, /nominations, /bindings
api.add_router("/me/messages/", "vmo.api.notices.router")
api.add_router("/", "vmo.api.bulletins.router")  # /announcements, /publications
api.add_router("/plates/", "vmo.api.plates.router")
api.add_router("/appointments/", "vmo.api.appointments.router")
api.add_router("/learn/", "vmo.api.education.router")
api.add_router("/applications/", "vmo.api.applications.router")
api.add_router("/checks", "vmo.api.checks.router")  # organisations' API keys, not users'

# Added last so that it only catches what no route above matched: a 404 in the API's own shape.
fallback = Router(auth=None)


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> None:
    raise errors.ApiError(404, "not_found", errors.not_found_message())


api.add_router("/", fallback)
# Every operation states every refusal the API can give it, in the one error shape.
declare_refusals(api)
