"""Routes found by the address's leading words, in Starlette's order.

Starlette's router tries its routes one after the other, each with its regular expression (about 1.3 us a try
on this project's machine): the site has about 200 routes, and an agency's API answer came after 28 tries, a
Spanish agency page after 146. ``Dispatch`` is one route standing for all of them: a route whose address begins
with literal words (``/api/v1/agencies/{agency_id}`` begins ``api``, ``v1``, ``agencies``) can only match an
address beginning with the same words, so it tries only the routes whose literal words begin the address, in
their order in the list. The first that matches fully answers (else the first that matches partly: a method it
does not take), as Starlette's router would choose among all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Match, Router, get_route_path
from starlette.types import Receive, Scope, Send

# the key under which ``matches`` tells ``handle`` which route matched (the router copies the matched scope into
# the request's scope between the two calls)
CHOSEN = "track287g.route"


@dataclass
class _Node:
    """The routes whose literal words end here (with their place in the list), and the words that go deeper."""

    routes: list[tuple[int, BaseRoute]] = field(default_factory=list)
    deeper: dict[str, _Node] = field(default_factory=dict)


def literal_words(route: BaseRoute) -> list[str]:
    """The words a route's address begins with before its first parameter (none for a route without a path)."""
    path = getattr(route, "path", None)
    if not isinstance(path, str) or not path.startswith("/"):
        return []
    words = []
    for word in path.split("/")[1:]:
        if "{" in word:
            break
        words.append(word)
    return words


class Dispatch(BaseRoute):
    """Every route of a list, tried only where the address's leading words allow it (see the module)."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._names = Router(self.routes)
        self._root = _Node()
        for index, route in enumerate(self.routes):
            node = self._root
            for word in literal_words(route):
                node = node.deeper.setdefault(word, _Node())
            node.routes.append((index, route))

    def candidates(self, path: str) -> list[BaseRoute]:
        """The routes that may match ``path``, in their order in the list."""
        node = self._root
        found = list(node.routes)
        for word in path.split("/")[1:]:
            deeper = node.deeper.get(word)
            if deeper is None:
                break
            node = deeper
            found += node.routes
        found.sort(key=lambda item: item[0])
        return [route for _, route in found]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: tuple[BaseRoute, Scope] | None = None
        for route in self.candidates(get_route_path(scope)):
            match, child = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child, CHOSEN: route}
            if match is Match.PARTIAL and partial is None:
                partial = (route, child)
        if partial is not None:
            return Match.PARTIAL, {**partial[1], CHOSEN: partial[0]}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = scope.pop(CHOSEN)
        scope["route"] = route
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        return self._names.url_path_for(name, **path_params)  # Starlette's router finds a route by its name
