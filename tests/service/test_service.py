"""The intake service over real HTTP: a uvicorn process per configuration, started once for the module.

Two servers run side by side: ``main`` (default limits, a 4 MiB upload limit)
and ``tight`` (one worker, a queue of one, a 1 s time limit) for timeouts,
back-pressure and a worker that dies. The last test stops both and checks that
nothing was left in their TMPDIR and nothing personal reached their logs.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import struct
import threading
import time
import zlib
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLES, rendered_png
from tests.service.server import API_KEY, Server

IBAN = "BE71 0961 2345 6769"
NATIONAL_NUMBER = "85.07.30-033.28"
NAME = "Griet Vandenbroucke"
FILENAME = "Griet_Vandenbroucke_identiteitskaart.txt"
LETTER = (f"Geachte mevrouw {NAME},\n\nUw rekeningnummer: {IBAN}\n"
          f"Rijksregisternummer: {NATIONAL_NUMBER}\n\nMet vriendelijke groeten\n").encode()
SECRETS = [IBAN, IBAN.replace(" ", ""), NATIONAL_NUMBER, "85073003328", NAME, "Vandenbroucke", FILENAME,
           "Griet_Vandenbroucke"]
AUTH = {"Authorization": f"Bearer {API_KEY}"}
SLOW_SCAN = SAMPLES / "scans" / "fr_invoice_01.png"  # a full A4 scan: seconds of OCR, far over 1 s
SENT: list[bytes] = []  # every upload, to look for afterwards in the servers' TMPDIR


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    root = tmp_path_factory.mktemp("service")
    started = {
        "main": Server(root / "main", ["--max-upload-mb", "4", "--workers", "1"]),
        "tight": Server(root / "tight", ["--workers", "1", "--queue", "1", "--time-limit", "1"]),
    }
    try:
        for server in started.values():
            server.wait_ready()
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(scope="module")
def main(servers):
    with servers["main"].client(headers=AUTH) as client:
        yield client


@pytest.fixture(scope="module")
def tight(servers):
    with servers["tight"].client(headers=AUTH) as client:
        yield client


def post(client: httpx.Client, route: str, data: bytes, filename: str = "upload.bin", **fields):
    SENT.append(data)
    return client.post(route, files={"file": (filename, data, "application/octet-stream")}, data=fields or None)


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A one-colour PNG that declares 400 million pixels in about 50 KB."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * (width // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def assert_json_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] and body["message"]
    if code:
        assert body["error"] == code, body
    return body


# --- health, schema, authentication --------------------------------------------------------------
def test_healthz_says_ok_version_and_workers_only(servers):
    response = httpx.get(servers["main"].url + "/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __import__("scanner").__version__, "workers_up": True}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers


def test_openapi_lists_the_routes(servers):
    schema = httpx.get(servers["main"].url + "/openapi.json").json()
    assert {"/healthz", "/v1/id-check", "/v1/scan", "/v1/redact"} <= set(schema["paths"])
    body = schema["paths"]["/v1/scan"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert "file" in body["schema"]["properties"]


def v1_routes():
    from scanner.service.app import create_app
    from scanner.service.settings import KeyRing, ServiceSettings

    app = create_app(ServiceSettings(keys=KeyRing.from_keys([API_KEY])))
    routes = [(method, route.path) for route in app.routes if route.path.startswith("/v1")
              for method in sorted(getattr(route, "methods", None) or ["GET"])]
    assert {path for _m, path in routes} >= {"/v1/id-check", "/v1/scan", "/v1/redact"}
    return routes


@pytest.mark.parametrize("method,path", v1_routes())
def test_every_v1_route_needs_a_valid_key(servers, method, path):
    url = servers["main"].url + path
    files = {"file": ("a.txt", b"hello", "text/plain")}
    for headers in ({}, {"Authorization": "Bearer wrong-key-000000000000"}, {"X-API-Key": "wrong-key"},
                    {"Authorization": f"Basic {API_KEY}"}, {"X-API-Key": ""}):
        response = httpx.request(method, url, headers=headers, files=files)
        assert_json_error(response, 401, "unauthorized")
        assert response.headers["cache-control"] == "no-store"
    ok = httpx.request(method, url, headers={"X-API-Key": API_KEY}, files=files, timeout=60)
    assert ok.status_code != 401


def test_openapi_routes_are_the_app_routes(servers):
    schema = httpx.get(servers["main"].url + "/openapi.json").json()
    assert {p for p in schema["paths"] if p.startswith("/v1")} == {p for _m, p in v1_routes()}


# --- scan and redact ---------------------------------------------------------------------------------
def test_scan_returns_masked_findings_only(main):
    response = post(main, "/v1/scan", LETTER, FILENAME)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["file"] == FILENAME
    findings = {r["entity_type"]: r for r in body["records"] if r["kind"] == "finding"}
    assert {"IBAN_CODE", "BE_NATIONAL_NUMBER"} <= set(findings)
    assert findings["IBAN_CODE"]["text_masked"] == "BE71 **** **** 6769"
    assert findings["BE_NATIONAL_NUMBER"]["fingerprint"].startswith("hmac-sha256:")
    assert all("text" not in r for r in body["records"])
    assert [r["kind"] for r in body["records"]].count("document") == 1
    for secret in (IBAN, IBAN.replace(" ", ""), NATIONAL_NUMBER, NAME):
        assert secret not in response.text


def test_scan_options_and_bad_fields(main):
    only = post(main, "/v1/scan", LETTER, "a.txt", entities="IBAN_CODE").json()
    assert {r["entity_type"] for r in only["records"] if r["kind"] == "finding"} == {"IBAN_CODE"}
    assert_json_error(post(main, "/v1/scan", LETTER, "a.txt", entities="NOPE"), 400, "bad_request")
    assert_json_error(post(main, "/v1/scan", LETTER, "a.txt", reveal="true"), 400, "bad_request")
    assert_json_error(main.post("/v1/scan", content=LETTER), 400, "bad_request")  # not multipart


def test_redact_text(main):
    response = post(main, "/v1/redact", LETTER, FILENAME)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    summary = json.loads(response.headers["x-piiscan-summary"])
    assert summary["verified"] is True and summary["by_type"]["IBAN_CODE"] == 1
    text = response.text
    assert IBAN not in text and NATIONAL_NUMBER not in text and "<IBAN_CODE>" in text
    assert text.startswith("Geachte mevrouw")


def test_redact_png(main):
    from PIL import Image

    png = rendered_png([f"IBAN: {IBAN}", "Bedankt voor uw betaling."])
    response = post(main, "/v1/redact", png, "scan.png")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert json.loads(response.headers["x-piiscan-summary"])["by_type"].get("IBAN_CODE") == 1
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == Image.open(io.BytesIO(png)).size
    assert response.content != png


# --- limits and hostile files ------------------------------------------------------------------------
def test_oversize_upload_is_refused(main):
    big = b"A" * (5 * 1024 * 1024)
    assert_json_error(post(main, "/v1/scan", big, "big.txt"), 413, "upload_too_large")

    # Without Content-Length (chunked): counted while reading.
    boundary = "piiscanboundary"

    def body():
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'.encode()
        for _ in range(5 * 16):
            yield b"B" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = main.post("/v1/scan", content=body(),
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert_json_error(response, 413, "upload_too_large")


def test_id_check_accepts_only_images_and_pdf(main):
    body = assert_json_error(post(main, "/v1/id-check", LETTER, "card.png"), 415)
    assert "image" in body["message"] and "PDF" in body["message"]
    docx = (SAMPLES / "office").glob("*.docx")
    sample = next(docx, None)
    if sample is not None:
        assert_json_error(post(main, "/v1/id-check", sample.read_bytes(), "card.jpg"), 415)


def test_decompression_bomb_is_422(main):
    bomb = bomb_png()
    assert len(bomb) < 200_000
    for route in ("/v1/scan", "/v1/redact", "/v1/id-check"):
        body = assert_json_error(post(main, route, bomb, "photo.png"), 422, "image_too_large")
        assert "pixels" in body["message"]


def unmasked_card() -> Path:
    """An unmasked eID front scan of sample_docs/id_cards (its absence is a failure, not a skip)."""
    cards = sorted((SAMPLES / "id_cards").glob("*unmasked*scan_front*"))
    assert cards, "sample_docs/id_cards has no unmasked front scan"
    return cards[0]


def test_id_check_unmasked_card_is_not_compliant(main):
    card = unmasked_card()
    response = post(main, "/v1/id-check", card.read_bytes(), card.name)
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["compliant"] is False and verdict["file"] == card.name
    assert {"document_type", "side", "checks", "reasons"} <= set(verdict) and verdict["reasons"]


def test_id_check_fix_returns_a_masked_copy(main):
    card = unmasked_card()
    data = card.read_bytes()
    response = post(main, "/v1/id-check", data, card.name, fix="true")
    if response.status_code == 422:
        body = response.json()
        assert body["compliant"] is False and body["error"]
        return
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] in ("image/png", "image/jpeg", "application/pdf")
    verdict = json.loads(response.headers["x-piiscan-verdict"])
    assert verdict["compliant"] is True
    again = post(main, "/v1/id-check", response.content, "masked")
    assert again.status_code == 200 and again.json()["compliant"] is True


# --- time limit, back-pressure, a worker that dies ------------------------------------------------
def test_time_limit_gives_504_and_the_worker_goes_on(tight):
    started = time.monotonic()
    body = assert_json_error(post(tight, "/v1/scan", SLOW_SCAN.read_bytes(), "scan.png"), 504, "timeout")
    assert time.monotonic() - started < 8, "the job was not stopped at its time limit"
    assert "1 s" in body["message"]
    after = post(tight, "/v1/scan", LETTER, "a.txt")
    assert after.status_code == 200, after.text
    assert any(r["entity_type"] == "IBAN_CODE" for r in after.json()["records"] if r["kind"] == "finding")


def test_queue_full_gives_503_with_retry_after(servers):
    slow = SLOW_SCAN.read_bytes()
    SENT.append(slow)

    async def burst():
        async with httpx.AsyncClient(base_url=servers["tight"].url, headers=AUTH, timeout=60) as client:
            return await asyncio.gather(*[
                client.post("/v1/scan", files={"file": ("s.png", slow, "image/png")}) for _ in range(4)])

    responses = asyncio.run(burst())
    statuses = sorted(r.status_code for r in responses)
    busy = [r for r in responses if r.status_code == 503]
    assert busy, statuses
    assert_json_error(busy[0], 503, "busy")
    assert int(busy[0].headers["retry-after"]) > 0
    assert set(statuses) <= {503, 504}, statuses


def test_a_dead_worker_gives_500_and_the_pool_is_rebuilt(servers, tight):
    server = servers["tight"]
    pids = server.worker_pids()
    assert len(pids) == 1, pids
    result = {}

    def slow_request():
        result["response"] = post(tight, "/v1/scan", SLOW_SCAN.read_bytes(), "scan.png")

    thread = threading.Thread(target=slow_request)
    thread.start()
    time.sleep(0.5)
    os.kill(pids[0], signal.SIGKILL)
    thread.join(60)
    assert_json_error(result["response"], 500, "worker_failed")
    after = post(tight, "/v1/scan", LETTER, "a.txt")  # waits for the new worker to load its models
    assert after.status_code == 200, after.text
    new = server.worker_pids()
    assert len(new) == 1 and new != pids
    assert httpx.get(server.url + "/healthz").json()["workers_up"] is True


# --- nothing kept, nothing logged (runs last: it stops the servers) -------------------------------
def test_nothing_left_on_disk_and_nothing_personal_logged(servers):
    for name, server in servers.items():
        assert server.stop() in (0, -signal.SIGTERM), server.log()  # uvicorn re-raises SIGTERM
        leftovers = [p for p in server.tmpdir.rglob("*") if not p.is_dir()]
        assert not leftovers, (name, leftovers)
        for path in server.tmpdir.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert not any(sent[:4096] in content for sent in SENT if len(sent) > 64), path
        log = server.log()
        leaked = [s for s in SECRETS if s in log]
        assert not leaked, (name, leaked)
        assert "POST /v1/scan 200" in log and "Traceback" not in log
