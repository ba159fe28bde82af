"""The product's URLs plus two views that fail, for the 500 and 503 pages."""

from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path

from vmo.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    # A real connection to a PostgreSQL that is not there (nothing listens on port 9).
    dead = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "9",
                "NAME": "vmo_nowhere",
                "USER": "postgres",
                "OPTIONS": {"connect_timeout": 1},
            }
        }
    )
    with dead["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("unreachable")


urlpatterns = [path("test-boom/", boom), path("test-db-down/", database_down), *urlpatterns]
