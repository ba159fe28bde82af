"""The import-linter contracts in pyproject.toml cover every app's models: a module that defines
a model is forbidden to every other app (the demo generator aside), so an app added later, or a
model moved out of models.py, cannot be read around its selectors unnoticed by `make lint`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
EXEMPT = {"vmo.demo"}


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _app_packages() -> set[str]:
    return {
        f"vmo.{path.name}"
        for path in (ROOT / "src" / "vmo").iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in {"settings"}
    }


def _layered_packages() -> set[str]:
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.split("|")}


def _model_modules() -> set[str]:
    return {model.__module__ for model in apps.get_models() if model.__module__.startswith("vmo.")}


def test_every_module_that_defines_models_is_forbidden_to_every_other_app():
    packages = _app_packages() - EXEMPT - {"vmo.locale", "vmo.static", "vmo.templates"}
    forbidden = [c for c in _contracts() if c["type"] == "forbidden"]
    uncovered = {}
    for module in _model_modules():
        owner = ".".join(module.split(".")[:2])
        sources = set().union(
            *(set(c["source_modules"]) for c in forbidden if module in c["forbidden_modules"])
        )
        missing = packages - {owner} - sources
        if missing:
            uncovered[module] = sorted(missing)
    assert uncovered == {}


def test_forbidden_contracts_let_only_models_admin_and_migrations_through():
    """The ignore list is where a contract could be quietly loosened: only the relation, admin and
    migration modules of any app may import a forbidden models module."""
    allowed = {"vmo.*.models", "vmo.*.admin", "vmo.*.migrations.*"}
    loose = {
        (contract["name"], rule)
        for contract in _contracts()
        if contract["type"] == "forbidden"
        for rule in contract.get("ignore_imports", [])
        if rule.split(" -> ")[0] not in allowed
        or rule.split(" -> ")[1] not in contract["forbidden_modules"]
    }
    assert loose == set()


def test_every_app_has_a_place_in_the_layers():
    """An app missing from the layers contract may import any other app, and be imported by any,
    without `make lint` noticing (vmo.checks was left out that way)."""
    packages = _app_packages() - {"vmo.locale", "vmo.static", "vmo.templates"}
    assert packages - _layered_packages() == set()
