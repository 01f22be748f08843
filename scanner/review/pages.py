"""The review UI's pages (each guarded by :func:`scanner.review.web.require`)."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse

from scanner.review.accounts import User
from scanner.review.web import EVERYONE, render, require


def add_routes(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse)
    async def runs(request: Request, user: User = Depends(require(*EVERYONE))):
        return render(request, "runs.html", user)
