"""The project's URLs, plus stand-ins for page names that other apps are still building.

The base template links to portal, catalog and office pages; until those apps define them,
rendering any page would fail. A name the real app defines always wins over a stand-in.
"""

from django.http import HttpResponse
from django.urls import NoReverseMatch, URLResolver, path, reverse

from vmo import urls as project_urls

LINKED_FROM_BASE = {
    "portal": ["home", "my_status", "data_access"],
    "catalog": ["index"],
    "office": ["home"],
}


def _stand_in(request):
    return HttpResponse("stand-in")


def _missing(namespace: str, names: list[str]) -> list[str]:
    missing = []
    for name in names:
        try:
            reverse(f"{namespace}:{name}", urlconf=project_urls)
        except NoReverseMatch:
            missing.append(name)
    return missing


def _with_stand_ins(entry):
    if not isinstance(entry, URLResolver) or entry.namespace not in LINKED_FROM_BASE:
        return entry
    missing = _missing(entry.namespace, LINKED_FROM_BASE[entry.namespace])
    if not missing:
        return entry
    extra = [path(f"__stand-in__/{name}/", _stand_in, name=name) for name in missing]
    return URLResolver(
        entry.pattern,
        [*entry.url_patterns, *extra],
        entry.default_kwargs,
        entry.app_name,
        entry.namespace,
    )


urlpatterns = [_with_stand_ins(entry) for entry in project_urls.urlpatterns]
