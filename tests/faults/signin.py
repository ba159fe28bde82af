"""Run in a child process against a (restored) database: sign in with the identifier and
password given on the command line and print whether the session is signed in and as whom."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vmo.settings.test")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def main(identifier: str, password: str) -> None:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("accounts:login"), {"identifier": identifier, "password": password}
    )
    user = client.get(reverse("accounts:login")).wsgi_request.user
    print(
        json.dumps(
            {
                "status": response.status_code,
                "signed_in": user.is_authenticated,
                "user_id": user.pk if user.is_authenticated else None,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
