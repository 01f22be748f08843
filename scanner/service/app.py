"""The intake service: ``/v1/id-check``, ``/v1/scan``, ``/v1/redact`` and ``/healthz`` (docs/service.md).

Every ``/v1`` route needs an API key. An upload is read into memory within the
size limit (no temporary file), its type is decided from its bytes (never from
its name or the client's content type), and the work runs in a worker process
under the time limit. Nothing is kept: no file, no value, no name in the logs.

>>> from scanner.service.settings import KeyRing, ServiceSettings
>>> app = create_app(ServiceSettings(keys=KeyRing.from_keys(["a-long-enough-key-123"])))
>>> sorted(r.path for r in app.routes if r.path.startswith("/v1"))
['/v1/id-check', '/v1/redact', '/v1/scan']
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any, Dict, Optional

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from scanner import __version__
from scanner.extract.dispatch import kind_of
from scanner.service.pool import PoolUnavailable, WorkerDied, WorkerOverran, WorkerPool
from scanner.service.settings import ServiceSettings
from scanner.service.upload import MULTIPART_SLACK, UploadProblem, read_upload, too_large

log = logging.getLogger("piiscan.service")
RETRY_AFTER_S = 5
DRAIN_S = 10.0  # at most this long reading (and dropping) the rest of a refused upload before answering 413
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_PLAIN = {"/openapi.json", "/healthz"}

IMAGE_TYPES = [  # (magic, media type, extension); the formats the image extractor reads
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"), (b"GIF89a", "image/gif", "gif"), (b"II*\x00", "image/tiff", "tiff"),
    (b"MM\x00*", "image/tiff", "tiff"), (b"BM", "image/bmp", "bmp"),
]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OPERATORS = ("replace", "mask", "redact", "hash")
LANGUAGES = ("auto", "fr", "nl", "en", "de")


# --- errors ----------------------------------------------------------------------------------
class ErrorBody(BaseModel):
    error: str
    message: str


class APIError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: Optional[dict] = None,
                 extra: Optional[dict] = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.extra = headers or {}, extra or {}

    def response(self) -> JSONResponse:
        return JSONResponse({**self.extra, "error": self.code, "message": self.message},
                            status_code=self.status, headers=self.headers)


# Stable codes the workers give, by HTTP status (anything else a document can fail with is 422).
STATUS_OF = {"timeout": 504, "unsupported_format": 415, "binary_content": 415, "redaction_refused": 415,
             "idcheck_unavailable": 501, "internal_error": 500}


def failure(result: dict, extra: Optional[dict] = None) -> APIError:
    code = result["error"]
    return APIError(STATUS_OF.get(code, 422), code, result["message"], extra=extra)


def _errors(*statuses: int) -> dict:
    described = {400: "malformed request", 401: "missing or wrong API key", 408: "upload too slow",
                 413: "upload over the size limit", 415: "file type not accepted",
                 422: "the file could not be processed (stable error code)",
                 500: "a worker failed", 501: "not available in this version",
                 503: "queue full or workers not up (see Retry-After)", 504: "time limit reached"}
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}


def _upload_body(*fields: tuple) -> dict:
    properties: Dict[str, Any] = {"file": {"type": "string", "format": "binary"}}
    for name, schema in fields:
        properties[name] = schema
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["file"], "properties": properties}}}}}


# --- content sniffing ------------------------------------------------------------------------
def sniff(data: bytes) -> tuple[str, str]:
    """(family, internal name) from the bytes alone; the internal name steers the extractors."""
    kind = kind_of(data, "upload")
    if kind == "image":
        return kind, "upload." + image_type(data)[1]
    if kind == "text":
        head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return "html", "upload.html"
        return kind, "upload.txt"
    return kind, f"upload.{kind}"


def image_type(data: bytes) -> tuple[str, str]:
    for magic, media, ext in IMAGE_TYPES:
        if data.startswith(magic):
            return media, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return "application/octet-stream", "bin"


def media_type(kind: str, output: bytes, encoding: Optional[str]) -> tuple[str, str]:
    if kind == "image":
        return image_type(output)
    charset = f"; charset={encoding}" if encoding else ""
    return {"pdf": ("application/pdf", "pdf"), "html": ("text/html" + charset, "html"),
            "text": ("text/plain" + charset, "txt"), "eml": ("message/rfc822", "eml"),
            "docx": (DOCX, "docx"), "odt": ("application/vnd.oasis.opendocument.text", "odt")}.get(
                kind, ("application/octet-stream", "bin"))


def compact(value: Any) -> str:
    """JSON for a response header: one line, ASCII only."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


# --- middleware: security headers, one log line per request, no traceback with data ---------
class Guard:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        status = {"code": 500, "sent": False}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # A page that set its own policy (the review UI) keeps it.
                message["headers"] = headers + [h for h in SECURITY_HEADERS if h[0] not in present]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # noqa: BLE001 - logged by type only: an exception's text may quote data
            log.error("internal error (%s)", type(exc).__name__)
            if not status["sent"]:
                await APIError(500, "internal_error", "the service failed on this request").response()(
                    scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            method = scope.get("method", "")
            size = state.get("bytes")
            if size is None:
                length = dict(scope.get("headers") or []).get(b"content-length", b"")
                size = int(length) if length.isdigit() else 0
            outcome = state.get("outcome", "")
            # The route's template, never the raw path or query string (they could carry data).
            path = getattr(route, "path", None) or (scope.get("path") if scope.get("path") in _PLAIN else "-")
            log.info("%s %s %d %dms %dB%s", method if method in _METHODS else "OTHER", path, status["code"], (time.perf_counter() - started) * 1000, size,
                     f" {outcome}" if outcome else "")


# --- the application -------------------------------------------------------------------------
def create_app(settings: ServiceSettings, log_level: int = logging.WARNING) -> FastAPI:
    pool = WorkerPool(settings, log_level)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(title="piiscan intake service", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Identity-document checks, personal-data scans and redaction of uploads. "
                              "Every /v1 route needs an API key (Authorization: Bearer KEY or X-API-Key). "
                              "Nothing is stored. See docs/service.md.")
    app.state.settings, app.state.pool = settings, pool
    app.add_middleware(Guard)
    if settings.db:
        from scanner.review import ReviewSettings, create_review_app

        app.mount("/review", create_review_app(ReviewSettings(db=settings.db, output=settings.review_output)))

    @app.exception_handler(APIError)
    async def _api_error(_request, exc: APIError):
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed"}
        return JSONResponse({"error": codes.get(exc.status_code, "http_error"), "message": str(exc.detail)},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request, _exc):  # FastAPI's default answer quotes the input: not here
        return JSONResponse({"error": "bad_request", "message": "the request is not valid"}, status_code=400)

    bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
    header_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="the API key")

    def require_key(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer),
                    key: Optional[str] = Depends(header_key)) -> None:
        if settings.no_auth:
            return
        presented = credentials.credentials if credentials is not None else key
        if not settings.keys.accepts(presented):
            raise APIError(401, "unauthorized", "a valid API key is required (Authorization: Bearer KEY or "
                           "X-API-Key: KEY)", headers={"WWW-Authenticate": "Bearer"})

    @contextlib.asynccontextmanager
    async def intake(request: Request, allowed_fields: tuple):
        """Admit the request (size, queue), read the upload into memory, check its form fields."""
        limit = settings.max_upload_bytes
        length = request.headers.get("content-length", "")
        chunks = request.stream()
        if length.isdigit() and int(length) > limit + MULTIPART_SLACK:
            if int(length) <= 2 * limit + MULTIPART_SLACK:
                await drain(chunks, int(length))
            problem = too_large(limit)
            raise APIError(problem.status, problem.code, problem.message, headers={"Connection": "close"})
        if not pool.accepting:
            raise APIError(503, "unavailable", "the workers are not up; try again shortly",
                           headers={"Retry-After": str(RETRY_AFTER_S)})
        if pool.full():
            raise APIError(503, "busy", "the service is busy; try again shortly",
                           headers={"Retry-After": str(RETRY_AFTER_S)})
        pool.pending += 1
        try:
            try:
                async with asyncio.timeout(max(30.0, settings.time_limit_s)):
                    upload = await read_upload(request.headers.get("content-type", ""), chunks, limit)
            except UploadProblem as problem:
                headers = {"Connection": "close"} if problem.status == 413 else None
                if problem.status == 413:
                    await drain(chunks, limit)
                raise APIError(problem.status, problem.code, problem.message, headers=headers) from None
            except TimeoutError:
                raise APIError(408, "upload_timeout", "the upload was too slow", headers={"Connection": "close"}) \
                    from None
            request.state.bytes = len(upload.data)
            unknown = sorted(set(upload.fields) - set(allowed_fields))
            if unknown:
                raise APIError(400, "bad_request", f"unknown form field(s): {', '.join(f[:40] for f in unknown)}; "
                               f"accepted: file{''.join(', ' + f for f in allowed_fields)}")
            yield upload
        finally:
            pool.pending -= 1

    async def drain(chunks, most: int) -> None:
        """Read and drop the rest of a refused upload, up to ``most`` bytes and DRAIN_S seconds. Closing a
        connection with unread bytes makes the kernel reset it, and a client still sending its body then
        loses the 413 answer (measured: most of them at 20 concurrent uploads over loopback); an upload
        larger than that is cut off as before."""
        received = 0
        try:
            async with asyncio.timeout(DRAIN_S):
                async for chunk in chunks:
                    received += len(chunk)
                    if received > most:
                        return
        except (TimeoutError, ClientDisconnect):
            return

    async def run(job: str, data: bytes, name: str, params: dict) -> dict:
        try:
            return await pool.run(job, data, name, params)
        except PoolUnavailable:
            raise APIError(503, "unavailable", "the workers are not running; see the service log",
                           headers={"Retry-After": str(RETRY_AFTER_S)}) from None
        except WorkerDied:
            raise APIError(500, "worker_failed", "the worker processing the file stopped unexpectedly; "
                           "the file was not processed") from None
        except WorkerOverran:
            raise APIError(504, "timeout", f"the file took more than {settings.time_limit_s:g} s to process; "
                           "it was not processed") from None

    def scan_params(fields: dict) -> dict:
        params: Dict[str, Any] = {}
        if fields.get("entities"):
            entities = [e.strip().upper() for e in fields["entities"].split(",") if e.strip()]
            unknown = [e[:40] for e in entities if e not in pool.entities]
            if unknown:
                raise APIError(400, "bad_request", f"unknown entity type(s): {', '.join(unknown)}; "
                               f"known: {', '.join(pool.entities)}")
            params["entities"] = entities
        language = fields.get("language") or "auto"
        if language not in LANGUAGES:
            raise APIError(400, "bad_request", f"language takes one of {', '.join(LANGUAGES)}")
        params["language"] = language
        if fields.get("min_score"):
            try:
                params["min_score"] = float(fields["min_score"])
            except ValueError:
                params["min_score"] = -1.0
            if not 0 <= params["min_score"] <= 1:
                raise APIError(400, "bad_request", "min_score takes a number between 0 and 1")
        return params

    scan_fields = (("entities", {"type": "string", "description": "only these entity types, comma-separated"}),
                   ("language", {"type": "string", "enum": list(LANGUAGES), "default": "auto"}),
                   ("min_score", {"type": "number", "minimum": 0, "maximum": 1}))

    # --- routes --------------------------------------------------------------------------
    @app.get("/healthz", summary="Liveness: ok, version, whether the workers are up",
             responses={503: {"description": "the workers are not up"}})
    async def healthz():
        up = pool.ready
        return JSONResponse({"status": "ok" if up else "unavailable", "version": __version__, "workers_up": up},
                            status_code=200 if up else 503)

    @app.post("/v1/id-check", dependencies=[Depends(require_key)],
              summary="Check an identity-document copy (photo and national number covered)",
              description="Returns the check-id verdict (interface.md). Accepts images (PNG, JPEG, TIFF, WebP, "
                          "GIF, BMP) and PDF, recognised by content. With fix=true, returns the masked copy in the "
                          "input's format with the verdict in the X-Piiscan-Verdict header (compact JSON), or 422 "
                          "with the verdict and the error when the copy cannot be fixed. A file that cannot be "
                          "checked (not an identity document, unreadable, too large in pixels) gives 422 with the "
                          "verdict's error and message.",
              openapi_extra=_upload_body(("fix", {"type": "boolean", "default": False})),
              responses={200: {"description": "the verdict (JSON), or with fix=true the masked file",
                               "content": {"application/json": {}, "image/png": {}, "image/jpeg": {},
                                           "application/pdf": {}}},
                         **_errors(400, 401, 408, 413, 415, 422, 500, 501, 503, 504)})
    async def id_check(request: Request):
        async with intake(request, ("fix",)) as upload:
            fix_field = upload.fields.get("fix", "false").lower()
            if fix_field not in ("true", "false", "1", "0", "yes", "no", "on", "off", ""):
                raise APIError(400, "bad_request", "fix takes true or false")
            fix = fix_field in ("true", "1", "yes", "on")
            kind, name = sniff(upload.data)
            if kind not in ("image", "pdf"):
                request.state.outcome = "rejected"
                raise APIError(415, "unsupported_media_type", "an identity-document copy must be an image "
                               "(PNG, JPEG, TIFF, WebP, GIF, BMP) or a PDF")
            result = await run("id-check", upload.data, name, {"fix": fix})
        verdict = result.get("verdict")
        if verdict is not None:
            verdict = {**verdict, "file": upload.filename}
            request.state.outcome = "verdict=" + ("compliant" if verdict.get("compliant") else
                                                  "unchecked" if verdict.get("error") else "not_compliant")
        else:
            request.state.outcome = "verdict=unchecked"
        if result["status"] == "error":
            extra = {"file": upload.filename, "compliant": False}
            if verdict is not None:
                extra = {**verdict, "compliant": False}
            raise failure(result, extra=extra)
        if verdict.get("error"):  # the checker could not check it: never "compliant"
            code = verdict["error"]
            return JSONResponse({**verdict, "compliant": False}, status_code=STATUS_OF.get(code, 422))
        if fix:
            media, ext = image_type(result["data"]) if kind == "image" else ("application/pdf", "pdf")
            return Response(result["data"], media_type=media, headers={
                "X-Piiscan-Verdict": compact(verdict), "Content-Disposition": f'attachment; filename="masked.{ext}"'})
        return JSONResponse(verdict)

    @app.post("/v1/scan", dependencies=[Depends(require_key)],
              summary="Find personal data in a file",
              description="Returns {file, records}: finding, document and error records as in interface.md, "
                          "with masked values and fingerprints only (never the raw text). A file that cannot be "
                          "read at all gives 415 (type not supported) or 422 (stable error code).",
              openapi_extra=_upload_body(*scan_fields),
              responses=_errors(400, 401, 408, 413, 415, 422, 500, 503, 504))
    async def scan(request: Request):
        async with intake(request, ("entities", "language", "min_score")) as upload:
            params = scan_params(upload.fields)
            _kind, name = sniff(upload.data)
            result = await run("scan", upload.data, name, params)
        if result["status"] == "error":
            raise failure(result, extra={"file": upload.filename})
        records = []
        for record in result["records"]:
            record.pop("text", None)
            record["file"] = upload.filename
            records.append(record)
        request.state.outcome = f"findings={sum(r['kind'] == 'finding' for r in records)}"
        top = [r for r in records if r["member"] is None]
        if top and all(r["kind"] == "error" for r in top):
            raise failure({"error": top[0]["error"], "message": top[0]["message"]},
                          extra={"file": upload.filename, "records": records})
        return JSONResponse({"file": upload.filename, "records": records})

    @app.post("/v1/redact", dependencies=[Depends(require_key)],
              summary="Get a redacted copy of a file, in its own format",
              description="Returns the redacted file (text, HTML, e-mail, Word, PDF, PNG, JPEG, TIFF) with its "
                          "content type and a X-Piiscan-Summary header (compact JSON: findings, by_type, "
                          "operator, verified). The copy is extracted and analysed again before it is sent; "
                          "if a redacted value is still found, nothing is sent (422 redaction_leak).",
              openapi_extra=_upload_body(("operator", {"type": "string", "enum": list(OPERATORS),
                                                       "default": "replace"}), *scan_fields),
              responses={200: {"description": "the redacted file"},
                         **_errors(400, 401, 408, 413, 415, 422, 500, 503, 504)})
    async def redact(request: Request):
        async with intake(request, ("operator", "entities", "language", "min_score")) as upload:
            params = scan_params(upload.fields)
            operator = upload.fields.get("operator") or "replace"
            if operator not in OPERATORS:
                raise APIError(400, "bad_request", f"operator takes one of {', '.join(OPERATORS)}")
            params["operator"] = operator
            kind, name = sniff(upload.data)
            result = await run("redact", upload.data, name, params)
        if result["status"] == "error":
            raise failure(result, extra={"file": upload.filename})
        summary = {**result["summary"], "operator": operator, "verified": True}
        request.state.outcome = f"findings={summary['findings']}"
        media, ext = media_type(kind, result["data"], result.get("encoding"))
        return Response(result["data"], media_type=media, headers={
            "X-Piiscan-Summary": compact(summary), "Content-Disposition": f'attachment; filename="redacted.{ext}"'})

    return app
