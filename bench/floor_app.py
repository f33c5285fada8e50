"""The floor of the API benchmark: our server stack (granian + Starlette, one process) answering with no work.

Every address gets the same JSON body of ``BENCH_FLOOR_BYTES`` bytes (bench_web.py sets it to the median size
of the workload's real answers), with the headers our API sends. Served by ``granian --interface asgi
--factory floor_app:make_app``, as ``track287g serve`` serves the real app. Whatever latency this shows at a
given concurrency, no work done by our app can go under it.
"""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def make_app() -> Starlette:
    size = int(os.environ.get("BENCH_FLOOR_BYTES", "2000"))
    body = b'{"x":"' + b"a" * max(0, size - 8) + b'"}'

    async def answer(request: Request) -> Response:
        return Response(body, media_type="application/json", headers={"Cache-Control": "no-cache"})

    return Starlette(routes=[Route("/{path:path}", answer)])
