"""The review UI's pages (each guarded by :func:`scanner.review.web.require`); docs/review.md.

- ``/``: scan runs, totals and charts (everyone).
- ``/documents``: documents with findings, filtered and paginated; ``/documents/{id}``: one document,
  its pages as redacted previews (``/documents/{id}/pages/{n}.png``) or its text with the findings
  masked, the findings beside it, decisions one by one or in bulk, reveal, approve redaction (analysts).
- ``/dsar``: data-subject look-up (analysts); ``/audit``: the audit log (admins, auditors);
  ``/users``: accounts (admins).

Nothing here writes a raw value into a page, a log line or the store: pages show masked text,
page images are painted over on the server, and a reveal shows one value once, after a typed
reason, and writes only who, which finding and why to the audit log.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from scanner.errors import RunFailed, ScanError, UsageError
from scanner.report.html import HIGH, NEUTRAL, OTHER, bar_chart
from scanner.review import preview
from scanner.review.accounts import User, audit
from scanner.review.web import (ANALYSTS, AUDITORS, EVERYONE, HEADERS, PREFIX, client_of, render, require,
                                settings_of, store_of)
from scanner.store import Store, now
from scanner.store import queries as q
from scanner.store.schema import (allowlist, audit_log, decisions, documents, files, findings, id_checks,
                                  users)

ADMINS = ("admin",)
PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
DECISIONS = {"confirmed": "confirmed", "false_positive": "false positive", "needs_redaction": "needs redaction"}
STATUSES = {"unreviewed": "not fully reviewed", "reviewed": "reviewed", "needs_redaction": "needs redaction"}
OPERATORS = ("replace", "mask", "redact", "hash")
MIN_REASON = 5
_APPROVALS = threading.Lock()
_LOADING = threading.Lock()
SELECTOR_LABELS = {"national_number": "national register (or BIS) number", "iban": "IBAN", "email": "e-mail address",
                   "phone": "phone number", "name": "name"}


# ---------------------------------------------------------------------------------------------- helpers
def label(path: str, member: Optional[str]) -> str:
    """How a document is named in the audit log: its file, and the member inside it."""
    return f"{path} :: {member}" if member else path


def _high_risk():
    return sa.func.sum(sa.case((findings.c.entity_type.in_(sorted(q.HIGH_RISK)), 1), else_=0))


def _latest(path: Optional[str] = None):
    """The latest decision per finding value (path, member, type, fingerprint): the one that counts
    (only those of the file at ``path``, when given)."""
    member = sa.func.coalesce(decisions.c.member, "")
    last = (sa.select(sa.func.max(decisions.c.id))
            .group_by(decisions.c.path, member, decisions.c.entity_type, decisions.c.fingerprint))
    if path is not None:
        last = last.where(decisions.c.path == path)
    return (sa.select(decisions.c.path, member.label("member"), decisions.c.entity_type, decisions.c.fingerprint,
                      decisions.c.decision, decisions.c.actor, decisions.c.created_at)
            .where(decisions.c.id.in_(last)).subquery("latest"))


def _with_latest(latest, base):
    return base.outerjoin(latest, sa.and_(latest.c.path == files.c.path,
                                          latest.c.member == sa.func.coalesce(documents.c.member, ""),
                                          latest.c.entity_type == findings.c.entity_type,
                                          latest.c.fingerprint == findings.c.fingerprint))


def _unmasked_ids():
    return sa.select(id_checks.c.document_id).where(id_checks.c.compliant == sa.false())


def _int(value: Optional[str], default: int = 1) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _json(data: dict, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=HEADERS)


def _fail(status: int, message: str) -> None:
    raise StarletteHTTPException(status, message)


def _store_time(value) -> str:
    return q.iso(value) or ""


# ---------------------------------------------------------------------------------------------- queries
def document_list(store: Store, entity_type: str = "", folder: str = "", risk: str = "", status: str = "",
                  idcopies: bool = False, page: int = 1) -> Tuple[List[dict], int]:
    """Documents with findings, filtered; (one page of rows, total number of rows)."""
    latest = _latest()
    unmasked = documents.c.id.in_(_unmasked_ids())
    n = sa.func.count(findings.c.id)
    decided = sa.func.count(latest.c.decision)
    to_redact = sa.func.sum(sa.case((latest.c.decision == "needs_redaction", 1), else_=0))
    high = _high_risk()
    base = _with_latest(latest, findings.join(documents, findings.c.document_id == documents.c.id)
                        .join(files, documents.c.file_id == files.c.id))
    query = (sa.select(documents.c.id, files.c.path, documents.c.member, documents.c.pages, files.c.folder,
                       n.label("findings"), decided.label("decided"), to_redact.label("to_redact"),
                       high.label("high_risk"))
             .select_from(base)
             .group_by(documents.c.id, files.c.path, documents.c.member, documents.c.pages, files.c.folder))
    if folder:
        query = query.where(q._under(folder))
    if entity_type:
        query = query.having(sa.func.sum(sa.case((findings.c.entity_type == entity_type, 1), else_=0)) > 0)
    if risk == "high":
        query = query.having(high > 0)
    if status == "unreviewed":
        query = query.having(decided < n)
    elif status == "reviewed":
        query = query.having(decided >= n)
    elif status == "needs_redaction":
        query = query.having(to_redact > 0)
    order = [high.desc(), n.desc(), files.c.path, documents.c.member.is_not(None), documents.c.member,
             documents.c.id]
    if idcopies:
        order.insert(0, sa.case((unmasked, 0), else_=1))
    with q.reader(store) as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
        rows = [r._asdict() for r in conn.execute(query.order_by(*order).limit(PAGE_SIZE)
                                                  .offset((page - 1) * PAGE_SIZE))]
        ids = [r["id"] for r in rows]
        types = q._types_of(conn, ids)
        flagged = set(conn.execute(_unmasked_ids().where(id_checks.c.document_id.in_(ids))).scalars()) if ids else set()
    for row in rows:
        row["by_type"] = types.get(row["id"], {})
        row["unmasked_id_copy"] = row["id"] in flagged
        row["to_redact"] = int(row["to_redact"] or 0)
        row["high_risk"] = int(row["high_risk"] or 0)
    return rows, total


def document_detail(store: Store, doc_id: int) -> Optional[dict]:
    with q.reader(store) as conn:
        row = conn.execute(
            sa.select(documents.c.id, documents.c.file_id, documents.c.member, documents.c.pages,
                      documents.c.language, documents.c.ocr, documents.c.sha256, files.c.path, files.c.root,
                      files.c.folder, files.c.mtime_ns, files.c.size)
            .select_from(documents.join(files, documents.c.file_id == files.c.id))
            .where(documents.c.id == doc_id)).first()
        if row is None:
            return None
        doc = row._asdict()
        latest = _latest(doc["path"])
        base = _with_latest(latest, findings.join(documents, findings.c.document_id == documents.c.id)
                            .join(files, documents.c.file_id == files.c.id))
        doc["findings"] = [r._asdict() for r in conn.execute(
            sa.select(findings.c.id, findings.c.page, findings.c.part, findings.c.entity_type, findings.c.score,
                      findings.c.start, findings.c.end, findings.c.bbox, findings.c.page_size, findings.c.source,
                      findings.c.location, findings.c.text_masked, findings.c.fingerprint, latest.c.decision,
                      latest.c.actor)
            .select_from(base).where(findings.c.document_id == doc_id)
            .order_by(findings.c.page.is_(None), findings.c.page, findings.c.part, findings.c.start,
                      findings.c.id))]
        doc["id_check"] = conn.execute(
            sa.select(id_checks.c.compliant, id_checks.c.document_type, id_checks.c.side, id_checks.c.reasons)
            .where(id_checks.c.document_id == doc_id)).first()
        doc["siblings"] = [r._asdict() for r in conn.execute(
            sa.select(documents.c.id, documents.c.member, documents.c.findings)
            .where(documents.c.file_id == doc["file_id"], documents.c.id != doc_id)
            .order_by(documents.c.member.is_not(None), documents.c.member, documents.c.id))]
    return doc


def page_boxes(store: Store, doc_id: int, number: int) -> Optional[dict]:
    """What a page preview needs: the document's file, and the boxes of the findings on that page."""
    with q.reader(store) as conn:
        row = conn.execute(
            sa.select(documents.c.id, documents.c.member, documents.c.pages, documents.c.sha256, files.c.path)
            .select_from(documents.join(files, documents.c.file_id == files.c.id))
            .where(documents.c.id == doc_id)).first()
        if row is None:
            return None
        doc = row._asdict()
        doc["findings"] = [r._asdict() for r in conn.execute(
            sa.select(findings.c.id, findings.c.page, findings.c.bbox, findings.c.page_size)
            .where(findings.c.document_id == doc_id, findings.c.page == number).order_by(findings.c.id))]
    return doc


def finding_row(store: Store, finding_id: int) -> Optional[dict]:
    with q.reader(store) as conn:
        row = conn.execute(
            sa.select(findings.c.id, findings.c.document_id, findings.c.page, findings.c.part,
                      findings.c.entity_type, findings.c.start, findings.c.end, findings.c.fingerprint,
                      findings.c.text_masked, documents.c.member, documents.c.sha256, files.c.path)
            .select_from(findings.join(documents, findings.c.document_id == documents.c.id)
                         .join(files, findings.c.file_id == files.c.id))
            .where(findings.c.id == finding_id)).first()
    return row._asdict() if row else None


def decide(store: Store, actor: str, rows: Sequence[dict], decision: str, reason: Optional[str]) -> None:
    """Record a decision on each finding (by its value: path, member, type, fingerprint); a false
    positive goes on the allow-list (later scans drop it), any other decision takes it off again."""
    at = now()
    values = {(r["path"], r["member"], r["entity_type"], r["fingerprint"]) for r in rows}
    with store.engine.begin() as conn:
        for path, member, entity_type, fp in sorted(values, key=lambda v: (v[0], v[1] or "", v[2], v[3])):
            conn.execute(decisions.insert().values(path=path, member=member, entity_type=entity_type,
                                                   fingerprint=fp, decision=decision, actor=actor,
                                                   reason=reason or None, created_at=at))
        pairs = {(t, fp) for _p, _m, t, fp in values}
        for entity_type, fp in sorted(pairs):
            present = conn.execute(sa.select(allowlist.c.id).where(allowlist.c.entity_type == entity_type,
                                                                   allowlist.c.fingerprint == fp)).first()
            if decision == "false_positive" and present is None:
                conn.execute(allowlist.insert().values(entity_type=entity_type, fingerprint=fp, actor=actor,
                                                       created_at=at))
            elif decision != "false_positive" and present is not None:
                conn.execute(allowlist.delete().where(allowlist.c.id == present.id))


def findings_of_values(store: Store, doc_id: int, rows: Sequence[dict]) -> List[int]:
    """Ids of the findings of this document that share a value with ``rows`` (one decision covers them)."""
    keys = {(r["entity_type"], r["fingerprint"]) for r in rows}
    with q.reader(store) as conn:
        found = conn.execute(sa.select(findings.c.id, findings.c.entity_type, findings.c.fingerprint)
                             .where(findings.c.document_id == doc_id)).all()
    return sorted(r.id for r in found if (r.entity_type, r.fingerprint) in keys)


def output_folder(request: Request) -> Path:
    """Where approved redactions go: the configured folder, else ``redacted/`` beside a SQLite store."""
    settings = settings_of(request)
    if settings.output is not None:
        return Path(settings.output).expanduser().resolve()
    engine = store_of(request).engine
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return Path(engine.url.database).resolve().parent / "redacted"
    _fail(409, "no output folder for approved redactions is configured: start the service with "
               "--review-output FOLDER (a PostgreSQL or in-memory store has no folder of its own to use)")
    raise AssertionError  # unreachable


def target_for(output: Path, path: str, root: str) -> Path:
    """The copy keeps the file's path below its scanned root, so two files of the same name never collide."""
    source = Path(path)
    try:
        relative = source.relative_to(root) if root else Path(source.name)
    except ValueError:
        relative = Path(source.name)
    if not relative.parts or ".." in relative.parts:
        relative = Path(source.name)
    return output / relative


def _scanner(request: Request):
    """The scanner for approvals: loaded once per process, when first needed (it takes seconds)."""
    state = request.app.state
    with _LOADING:
        scanner = getattr(state, "scanner", None)
        if scanner is None:
            from scanner.analyze.engine import Analyzer
            from scanner.config import fingerprint_key
            from scanner.pipeline import Scanner

            scanner = state.scanner = Scanner(Analyzer.load(), fingerprint_key())
    return scanner


def _approve_lock(request: Request) -> threading.Lock:
    """One approval at a time per application: they share the scanner and its models."""
    with _APPROVALS:
        lock = getattr(request.app.state, "approve_lock", None)
        if lock is None:
            lock = request.app.state.approve_lock = threading.Lock()
    return lock


def _key(request: Request) -> bytes:
    key = getattr(request.app.state, "fingerprint_key", None)
    if key is None:
        from scanner.config import fingerprint_key

        key = request.app.state.fingerprint_key = fingerprint_key()
    return key


def _previews(request: Request) -> preview.Previews:
    cache = getattr(request.app.state, "previews", None)
    if cache is None:
        cache = request.app.state.previews = preview.Previews()
    return cache


def _source(doc: dict) -> preview.Source:
    return preview.load_source(doc["path"], doc["member"], doc["sha256"])


def _boxes(doc: dict, number: int) -> List[preview.Box]:
    return [preview.Box(f["id"], f["bbox"], f["page_size"]) for f in doc["findings"] if f["page"] == number]


def _page_maker(source: preview.Source, number: int, boxes: List[preview.Box]):
    return lambda: preview.page_png(source, number, boxes)


def _preview_key(doc: dict, source: preview.Source, number: int, boxes: List[preview.Box]) -> tuple:
    """A preview is the same as long as the file and the boxes on the page are (a rescan with other
    rules may give other boxes under the same document id)."""
    drawn = tuple((b.finding_id, tuple(b.bbox or ()), tuple(b.page_size or ())) for b in boxes)
    return (doc["id"], number, source.mtime_ns, source.size, preview.PREVIEW_WIDTH, hash(drawn))


def _fraction_box(item: dict) -> Optional[str]:
    """The finding's box as fractions of its page ("x0,y0,x1,y1"), for the highlight drawn by review.js."""
    if not item.get("bbox") or not item.get("page_size"):
        return None
    x0, y0, x1, y1 = item["bbox"]
    w, h = item["page_size"]
    if not w or not h:
        return None
    return ",".join(f"{v:.4f}" for v in (x0 / w, y0 / h, x1 / w, y1 / h))


# ---------------------------------------------------------------------------------------------- routes
def add_routes(app: FastAPI) -> None:
    app.state.previews = preview.Previews()

    @app.get("/", response_class=HTMLResponse)
    async def runs(request: Request, user: User = Depends(require(*EVERYONE))):
        def load():
            with q.reader(store_of(request)) as conn:
                totals, types = q.totals(conn), q.by_type(conn)
                folders = [f for f in q.by_folder(q.folders(conn)) if f["findings"]]
                return totals, types, folders, q.runs(conn, 20)

        totals, types, folders, run_rows = await run_in_threadpool(load)
        type_chart = bar_chart([(t, [(n, HIGH if t in q.HIGH_RISK else NEUTRAL,
                                      "high-risk" if t in q.HIGH_RISK else "other")]) for t, n in types.items()],
                               "Findings per entity type", label_width=220)
        folder_chart = bar_chart([(f["folder"], [(f["high_risk"], HIGH, "high-risk identifiers"),
                                                 (f["findings"] - f["high_risk"], OTHER, "other personal data")])
                                  for f in folders[:20]], "Findings per folder")
        return render(request, "runs.html", user, totals=totals, runs=run_rows, type_chart=type_chart,
                      folder_chart=folder_chart, folders=folders[:20], more_folders=max(len(folders) - 20, 0))

    # ------------------------------------------------------------------ documents
    @app.get("/documents", response_class=HTMLResponse)
    async def document_index(request: Request, type: str = "", folder: str = "", risk: str = "",
                             status: str = "", idcopies: str = "", page: str = "1",
                             user: User = Depends(require(*ANALYSTS))):
        number = _int(page)
        status = status if status in STATUSES else ""
        risk = "high" if risk == "high" else ""
        store = store_of(request)

        def load():
            rows, total = document_list(store, type.strip()[:64], folder.strip()[:4096], risk, status,
                                        bool(idcopies), number)
            with q.reader(store) as conn:
                return rows, total, list(q.by_type(conn))

        rows, total, types = await run_in_threadpool(load)
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        filters = {"type": type, "folder": folder, "risk": risk, "status": status, "idcopies": "1" if idcopies else ""}
        return render(request, "documents.html", user, rows=rows, total=total, page=number, pages=pages,
                      filters=filters, types=types, statuses=STATUSES, high_risk=q.HIGH_RISK,
                      query={k: v for k, v in filters.items() if v})

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: int, user: User = Depends(require(*ANALYSTS))):
        store = store_of(request)
        doc = document_detail(store, doc_id)
        if doc is None:
            _fail(404, "no such document")
        audit(store, user.name, "view_document", label(doc["path"], doc["member"]), client=client_of(request))
        problem, source, parts, numbers = None, None, [], []
        try:
            source = _source(doc)
            if source.paged:
                numbers = list(range(1, (doc["pages"] or preview.page_count(source)) + 1))
                cache = _previews(request)
                for n in numbers:  # drawn in the background while the browser reads this page
                    boxes = _boxes(doc, n)
                    cache.warm(_preview_key(doc, source, n, boxes), _page_maker(source, n, boxes))
            in_text = [f for f in doc["findings"] if not source.paged or f["page"] is None]
            parts = preview.text_parts(preview.text_pages(source), in_text)
        except preview.Unavailable as exc:
            problem = str(exc)
        for item in doc["findings"]:
            item["box"] = _fraction_box(item)
            item["decision_label"] = DECISIONS.get(item["decision"] or "", "")
        return render(request, "document.html", user, doc=doc, label=label(doc["path"], doc["member"]),
                      problem=problem, kind=source.kind if source else None, numbers=numbers, parts=parts,
                      decisions=DECISIONS, operators=OPERATORS, high_risk=q.HIGH_RISK,
                      decided=sum(1 for f in doc["findings"] if f["decision"]))

    @app.get("/documents/{doc_id}/pages/{number}.png")
    def page_image(request: Request, doc_id: int, number: int, user: User = Depends(require(*ANALYSTS))):
        store = store_of(request)
        doc = page_boxes(store, doc_id, number)
        if doc is None or number < 1 or (doc["pages"] and number > doc["pages"]):
            _fail(404, "no such page")
        try:
            source = _source(doc)
            if not source.paged:
                _fail(404, "this document has no page images")
            boxes = _boxes(doc, number)
            png = _previews(request).get(_preview_key(doc, source, number, boxes),
                                         _page_maker(source, number, boxes))
        except preview.Unavailable as exc:
            _fail(409, str(exc))
        audit(store, user.name, "view_page", f"{label(doc['path'], doc['member'])} page {number}",
              client=client_of(request))
        return Response(png, media_type="image/png", headers=HEADERS)

    # ------------------------------------------------------------------ decisions
    async def _decision_form(request: Request) -> Tuple[str, Optional[str]]:
        form = await request.form()
        decision = str(form.get("decision") or "")
        if decision not in DECISIONS:
            _fail(400, f"unknown decision; one of: {', '.join(DECISIONS)}")
        reason = str(form.get("reason") or "").strip()[:1000] or None
        return decision, reason

    @app.post("/findings/{finding_id}/decision")
    async def decide_one(request: Request, finding_id: int, user: User = Depends(require(*ANALYSTS))):
        decision, reason = await _decision_form(request)
        store = store_of(request)
        row = await run_in_threadpool(finding_row, store, finding_id)
        if row is None:
            _fail(404, "no such finding")
        await run_in_threadpool(decide, store, user.name, [row], decision, reason)
        audit(store, user.name, "decide", f"{label(row['path'], row['member'])} finding {finding_id}: {decision}",
              client=client_of(request))
        if _wants_json(request):
            ids = await run_in_threadpool(findings_of_values, store, row["document_id"], [row])
            return _json({"decision": decision, "label": DECISIONS[decision], "findings": ids})
        return RedirectResponse(f"{PREFIX}/documents/{row['document_id']}#f{finding_id}", status_code=303,
                                headers=HEADERS)

    @app.post("/documents/{doc_id}/decisions")
    async def decide_many(request: Request, doc_id: int, user: User = Depends(require(*ANALYSTS))):
        decision, reason = await _decision_form(request)
        form = await request.form()
        wanted = set()
        for value in form.getlist("finding"):
            try:
                wanted.add(int(value))
            except (TypeError, ValueError):
                _fail(400, "a selected finding is not a finding id")
        if not wanted:
            _fail(400, "select at least one finding (the check boxes, or x on the keyboard)")
        store = store_of(request)
        doc = await run_in_threadpool(document_detail, store, doc_id)
        if doc is None:
            _fail(404, "no such document")
        rows = [{**f, "path": doc["path"], "member": doc["member"]} for f in doc["findings"] if f["id"] in wanted]
        if len(rows) != len(wanted):
            _fail(400, "some selected findings are not findings of this document")
        await run_in_threadpool(decide, store, user.name, rows, decision, reason)
        audit(store, user.name, "decide", f"{label(doc['path'], doc['member'])} findings "
              f"{','.join(str(i) for i in sorted(wanted))}: {decision}", client=client_of(request))
        if _wants_json(request):
            ids = await run_in_threadpool(findings_of_values, store, doc_id, rows)
            return _json({"decision": decision, "label": DECISIONS[decision], "findings": ids})
        return RedirectResponse(f"{PREFIX}/documents/{doc_id}", status_code=303, headers=HEADERS)

    # ------------------------------------------------------------------ reveal
    @app.post("/findings/{finding_id}/reveal", response_class=HTMLResponse)
    async def reveal(request: Request, finding_id: int, user: User = Depends(require(*ANALYSTS))):
        form = await request.form()
        reason = " ".join(str(form.get("reason") or "").split())[:500]
        store = store_of(request)
        row = await run_in_threadpool(finding_row, store, finding_id)
        if row is None:
            _fail(404, "no such finding")
        if len(reason) < MIN_REASON:
            return render(request, "reveal.html", user, 400, row=row, value=None,
                          error=f"Type why you need to see this value (at least {MIN_REASON} characters): "
                                "the reason is written to the audit log.")
        target = f"{label(row['path'], row['member'])} finding {finding_id}"
        key = _key(request)

        def read() -> str:
            source = preview.load_source(row["path"], row["member"], row["sha256"])
            return preview.reveal_value(source, row, key)

        try:
            value = await run_in_threadpool(read)
        except preview.Unavailable as exc:
            audit(store, user.name, "reveal_failed", target, reason=reason, client=client_of(request))
            return render(request, "reveal.html", user, 409, row=row, value=None, error=str(exc))
        audit(store, user.name, "reveal", target, reason=reason, client=client_of(request))
        return render(request, "reveal.html", user, row=row, value=value, error=None)

    # ------------------------------------------------------------------ approve redaction
    @app.post("/documents/{doc_id}/approve", response_class=HTMLResponse)
    async def approve(request: Request, doc_id: int, user: User = Depends(require(*ANALYSTS))):
        form = await request.form()
        operator = str(form.get("operator") or "replace")
        if operator not in OPERATORS:
            _fail(400, f"unknown operator; one of: {', '.join(OPERATORS)}")
        store = store_of(request)
        doc = await run_in_threadpool(document_detail, store, doc_id)
        if doc is None:
            _fail(404, "no such document")
        output = output_folder(request)
        source, target = Path(doc["path"]), target_for(output, doc["path"], doc["root"])
        problem = None
        if not source.is_file():
            problem = "the file is no longer there (moved or deleted since the scan)"
        else:
            stat = source.stat()
            if (stat.st_mtime_ns, stat.st_size) != (doc["mtime_ns"], doc["size"]):
                problem = "the file changed since it was scanned; scan it again before approving its redaction"
            elif target.resolve() == source.resolve() or (target.exists() and os.path.samefile(source, target)):
                problem = "the output folder would overwrite the original: piiscan never modifies the original"
        result = None
        if problem is None:
            def run() -> dict:
                import contextlib

                from scanner.extract.dispatch import kind_of
                from scanner.pipeline import Scanner
                from scanner.redact.document import redact_file

                # Values dismissed as false positives stay in the copy (they are not personal data).
                shared = _scanner(request)
                scanner = Scanner(shared.analyzer, shared.key,
                                  dataclasses.replace(shared.options, allowlist=frozenset(store.allowlisted())))
                with open(source, "rb") as handle:
                    head = handle.read(1 << 20)
                # pdfium is not thread-safe: a file that may hold a PDF waits for the previews, the rest not
                pdfium = kind_of(head, source.name) in ("pdf", "eml", "msg", "zip", "tar")
                with _approve_lock(request), (preview.PDFIUM if pdfium else contextlib.nullcontext()):
                    return redact_file(scanner, source, target, operator)

            try:
                result = await run_in_threadpool(run)
            except ScanError as exc:
                problem = exc.message
            except (RunFailed, UsageError, OSError) as exc:
                problem = f"the redacted copy could not be written ({type(exc).__name__}: {exc})"
        audit(store, user.name, "approve_redaction" if problem is None else "approve_failed",
              f"{doc['path']} -> {target}", client=client_of(request))
        return render(request, "approved.html", user, 200 if problem is None else 409, doc=doc,
                      label=label(doc["path"], doc["member"]), result=result, problem=problem, target=str(target))

    # ------------------------------------------------------------------ data-subject look-up
    @app.get("/dsar", response_class=HTMLResponse)
    async def dsar_form(request: Request, user: User = Depends(require(*ANALYSTS))):
        return render(request, "dsar.html", user, selectors=SELECTOR_LABELS, results=None, used=[], error=None)

    @app.post("/dsar", response_class=HTMLResponse)
    async def dsar(request: Request, user: User = Depends(require(*ANALYSTS))):
        form = await request.form()
        selectors: Dict[str, List[str]] = {}
        for name in q.SELECTORS:
            value = str(form.get(name) or "").strip()[:512]
            if value:
                selectors[name] = [value]
        used = sorted(selectors)
        if not selectors:
            return render(request, "dsar.html", user, 400, selectors=SELECTOR_LABELS, results=None, used=[],
                          error="Fill in at least one field.")
        key = _key(request)
        wanted: Dict[str, set] = {}
        invalid = []
        for name, values in selectors.items():
            try:
                for entity_type, fps in q.selector_fingerprints({name: values}, key).items():
                    wanted.setdefault(entity_type, set()).update(fps)
            except UsageError:  # its message names the field, never the value; ours too
                invalid.append(SELECTOR_LABELS[name])
        selectors.clear()
        if invalid:
            return render(request, "dsar.html", user, 400, selectors=SELECTOR_LABELS, results=None, used=used,
                          error=f"Not a valid value: {', '.join(invalid)}. Nothing was looked up.")
        store = store_of(request)

        def look_up() -> List[dict]:
            with q.reader(store) as conn:
                results = q.dsar(conn, wanted)
                paths = sorted({r["file"] for r in results})
                ids: Dict[tuple, int] = {}
                for chunk in q._chunks(paths):
                    for row in conn.execute(sa.select(documents.c.id, files.c.path, documents.c.member)
                                            .select_from(documents.join(files, documents.c.file_id == files.c.id))
                                            .where(files.c.path.in_(chunk))):
                        ids[(row.path, row.member)] = row.id
            for item in results:
                item["id"] = ids.get((item["file"], item["member"]))
            return results

        results = await run_in_threadpool(look_up)
        audit(store, user.name, "dsar", f"selectors: {', '.join(used)}; {len(results)} documents",
              client=client_of(request))
        return render(request, "dsar.html", user, selectors=SELECTOR_LABELS, results=results, used=used, error=None)

    # ------------------------------------------------------------------ audit log, users
    @app.get("/audit", response_class=HTMLResponse)
    async def audit_page(request: Request, actor: str = "", action: str = "", page: str = "1",
                         user: User = Depends(require(*AUDITORS))):
        number = _int(page)
        store = store_of(request)
        audit(store, user.name, "view_audit", f"actor={actor[:128]} action={action[:32]} page={number}",
              client=client_of(request))

        def load():
            where = []
            if actor:
                where.append(audit_log.c.actor == actor[:128])
            if action:
                where.append(audit_log.c.action == action[:32])
            with q.reader(store) as conn:
                total = conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(*where)).scalar_one()
                rows = [r._asdict() for r in conn.execute(
                    sa.select(audit_log).where(*where).order_by(audit_log.c.id.desc())
                    .limit(AUDIT_PAGE_SIZE).offset((number - 1) * AUDIT_PAGE_SIZE))]
                actions = sorted(conn.execute(sa.select(audit_log.c.action).distinct()).scalars())
            for row in rows:
                row["at"] = _store_time(row["at"])
            return rows, total, actions

        rows, total, actions = await run_in_threadpool(load)
        pages = max((total + AUDIT_PAGE_SIZE - 1) // AUDIT_PAGE_SIZE, 1)
        filters = {"actor": actor, "action": action}
        return render(request, "audit.html", user, rows=rows, total=total, page=number, pages=pages,
                      actions=actions, filters=filters, query={k: v for k, v in filters.items() if v})

    @app.get("/users", response_class=HTMLResponse)
    async def user_list(request: Request, user: User = Depends(require(*ADMINS))):
        store = store_of(request)
        audit(store, user.name, "view_users", client=client_of(request))
        with q.reader(store) as conn:
            rows = [r._asdict() for r in conn.execute(
                sa.select(users.c.name, users.c.role, users.c.created_at, users.c.disabled).order_by(users.c.name))]
        for row in rows:
            row["created_at"] = _store_time(row["created_at"])
        return render(request, "users.html", user, rows=rows)


__all__ = ["add_routes", "document_list", "document_detail", "decide", "label", "target_for"]
