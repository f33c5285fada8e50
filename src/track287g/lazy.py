"""A package's public names, imported from their modules when first asked for.

A package whose ``__init__`` imported every module it names would make each command pay for all of them: the quick
questions must start fast, and an add needs few of the documents' and enrich stage's modules. Such a package says
where each name lives and sets ``__getattr__ = lazy.exports(__name__, {module: names})``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any


def exports(package: str, homes: dict[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name of ``homes`` (a module of the package -> the names it holds)
    imported from its module when first asked for, then kept as the package's own (found at once from then on)."""
    home_of = {name: module for module, names in homes.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        if name not in home_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(import_module(f"{package}.{home_of[name]}"), name)
        return value

    return __getattr__
