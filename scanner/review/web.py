"""The review UI's plumbing: the sub-application, login and logout, the guards every page goes through.

Every route but the login form and the static files requires a live session
(:func:`require`), with the roles it names; every POST also requires the
session's CSRF token (a form field ``csrf`` or the ``X-CSRF-Token`` header).
Pages are server-rendered from ``templates/``; assets come from ``static/``
(no CDN). Responses carry a strict Content-Security-Policy (scripts, styles and
images from this origin only), frame denial and ``no-store``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from scanner.review import accounts
from scanner.review.accounts import Policy, User
from scanner.store import Store

HERE = Path(__file__).resolve().parent
COOKIE = "piiscan_session"
LOGIN_COOKIE = "piiscan_login"      # double-submit CSRF token of the login form (no session yet)
PREFIX = "/review"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": CSP, "x-frame-options": "DENY", "cache-control": "no-store",
           "referrer-policy": "no-referrer", "x-content-type-options": "nosniff",
           "cross-origin-opener-policy": "same-origin"}
ANALYSTS = ("analyst", "admin")
AUDITORS = ("admin", "auditor")
EVERYONE = ("analyst", "admin", "auditor")


@dataclass
class ReviewSettings:
    db: str
    output: Optional[Path] = None          # where "approve redaction" writes redacted copies
    secure_cookies: Optional[bool] = None  # None: Secure when the request came over https
    policy: Policy = field(default_factory=Policy)


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    pass


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.autoescape = True


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def store_of(request: Request) -> Store:
    return request.app.state.store


def settings_of(request: Request) -> ReviewSettings:
    return request.app.state.review


def require(*roles: str) -> Callable:
    """Dependency: the signed-in user, with one of ``roles``; a POST also needs its CSRF token."""

    async def guard(request: Request) -> User:
        settings = settings_of(request)
        user = accounts.session_user(store_of(request), request.cookies.get(COOKIE), settings.policy)
        if user is None:
            raise LoginRequired()
        if user.role not in roles:
            accounts.audit(store_of(request), user.name, "forbidden", _route_of(request), client=client_of(request))
            raise Forbidden()
        if request.method not in ("GET", "HEAD"):
            form = await request.form()
            presented = request.headers.get("x-csrf-token") or str(form.get("csrf") or "")
            if not presented or not hmac.compare_digest(presented.encode(), user.csrf.encode()):
                raise StarletteHTTPException(403, "the form has expired or did not come from this site; "
                                                  "reload the page and try again")
        return user

    return guard


def _route_of(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "-")


def safe_next(target: Optional[str]) -> str:
    """Where to go after login: only a path of this UI, never another site (no open redirects)."""
    default = PREFIX + "/"
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or target.startswith("//"):
        return default
    return target


def render(request: Request, template: str, user: Optional[User], status: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"user": user, "prefix": PREFIX, **context},
                                      status_code=status, headers=HEADERS)


def came_over_https(request: Request) -> bool:
    """Whether the browser used https: directly, or through the TLS-terminating reverse proxy (docs/service.md)
    that says so in X-Forwarded-Proto or Forwarded. Trusting the header is safe here: it can only add the
    Secure attribute, which makes a cookie stricter."""
    if request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    proto = [part.strip().lower() for part in request.headers.get("forwarded", "").split(",")[0].split(";")]
    return forwarded == "https" or "proto=https" in proto


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: Optional[int]) -> None:
    secure = settings_of(request).secure_cookies
    if secure is None:
        secure = came_over_https(request)
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="strict", secure=secure)


def create_review_app(settings: ReviewSettings, store: Optional[Store] = None) -> FastAPI:
    """The review UI, to be mounted at ``/review`` (``piiscan serve --db URL``)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.review = settings
    app.state.store = store or Store.open(settings.db)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc):
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"{PREFIX}/login?next={_quote(target)}", status_code=303, headers=HEADERS)
        else:
            response = HTMLResponse("sign in first", status_code=401, headers=HEADERS)
        return response

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc):
        user = accounts.session_user(store_of(request), request.cookies.get(COOKIE), settings.policy)
        return render(request, "error.html", user, 403, message="Your role does not give access to this page.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, _exc):  # FastAPI's default answer quotes the input (JSON): not here
        user = accounts.session_user(store_of(request), request.cookies.get(COOKIE), settings.policy)
        return render(request, "error.html", user, 400, message="The request is not valid.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        user = accounts.session_user(store_of(request), request.cookies.get(COOKIE), settings.policy)
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else "Not found."
        return render(request, "error.html", user, exc.status_code, message=message)

    def login_page(request: Request, next: Optional[str], status: int = 200, error: Optional[str] = None):
        """The sign-in form, with a fresh double-submit token in its cookie and in the form."""
        token = secrets.token_urlsafe(32)
        response = render(request, "login.html", None, status, login_csrf=token, next=safe_next(next), error=error)
        _set_cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
        return response

    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request, next: Optional[str] = None):
        return login_page(request, next)

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""),
                    next: str = Form("")):
        store, client = store_of(request), client_of(request)
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not csrf or not hmac.compare_digest(cookie.encode(), csrf.encode()):
            raise StarletteHTTPException(403, "the sign-in form has expired; reload the page and try again")
        name = name.strip()[:128]
        if accounts.too_many_failures(store, name, client, settings.policy):
            accounts.audit(store, name or "-", "login_refused", name, client=client)
            return login_page(request, next, 429, "Too many failed sign-ins. Wait 15 minutes, or ask an admin.")
        user = accounts.authenticate(store, name, password)
        if user is None:
            accounts.audit(store, name or "-", "login_failed", name, client=client)
            return login_page(request, next, 401, "Unknown name or wrong password.")
        accounts.audit(store, user.name, "login", client=client)
        response = RedirectResponse(safe_next(next), status_code=303, headers=HEADERS)
        _set_cookie(request, response, COOKIE, accounts.open_session(store, user, settings.policy), max_age=None)
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
        return response

    @app.post("/logout")
    async def logout(request: Request, user: User = Depends(require(*EVERYONE))):
        accounts.close_session(store_of(request), request.cookies.get(COOKIE))
        accounts.audit(store_of(request), user.name, "logout", client=client_of(request))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303, headers=HEADERS)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    from scanner.review import pages

    pages.add_routes(app)
    return app


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
