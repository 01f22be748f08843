"""The recognizers on text nobody meant to be read: never an exception, never a blow-up in time.

Random unicode goes through the whole analyzer; long runs of digits and separators (20,000
characters, what an OCR'd table of figures or a hostile text file gives) go through each recognizer
on its own and must be read within 2 s of CPU time (``time.process_time``: the other processes on
the machine do not count). A regex that backtracks without bound takes minutes on such a run.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.analyze.recognizers.registry import RECOGNIZERS
from tests.property import examples

LONG = 20_000
CPU_SECONDS = 2.0


@pytest.fixture(scope="module")
def recognizers():
    return [cls() for cls in RECOGNIZERS.values()]


def cpu_seconds(recognizer, text: str) -> float:
    started = time.process_time()
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    spent = time.process_time() - started
    for result in results:
        assert 0 <= result.start < result.end <= len(text)
    return spent


@given(text=st.text(max_size=400))
@settings(max_examples=examples(40))
def test_analyzer_reads_any_unicode(analyzer, text):
    for detection in analyzer.analyze(text):
        assert 0 <= detection.start < detection.end <= len(text)


@given(chunk=st.text(alphabet="0123456789 .-/+()", min_size=1, max_size=14))
@settings(max_examples=examples(12))
def test_recognizers_read_a_long_run_of_digits_in_time(recognizers, chunk):
    """The chunk repeated to 20,000 characters: ``85 07 30 033 2885 07 ...``, ``1.1.1.1...``."""
    text = (chunk * (LONG // len(chunk) + 1))[:LONG]
    slow = {type(r).__name__: round(s, 2) for r in recognizers if (s := cpu_seconds(r, text)) > CPU_SECONDS}
    assert not slow, f"{slow} on {text[:60]!r}..."


@pytest.mark.parametrize("text", [
    "".join("0123456789 .-/"[(i * 7 + i // 13) % 14] for i in range(LONG)),
    " ".join(["8"] * (LONG // 2)),
    "1." * (LONG // 2),
    "+32 " * (LONG // 4),
    "BE" + "0" * LONG,
], ids=["mixed", "digit-space", "digit-dot", "plus32", "BE-zeros"])
def test_recognizers_on_fixed_long_runs(recognizers, text):
    slow = {type(r).__name__: round(s, 2) for r in recognizers if (s := cpu_seconds(r, text)) > CPU_SECONDS}
    assert not slow, slow


def test_iban_shape_on_long_alphanumeric_tokens():
    """Ten tokens like a hash or a base64 line that happen to start with two letters and two digits."""
    from scanner.analyze.recognizers.iban import IbanCodeRecognizer

    text = " ".join(["BE12" + "1" * 60] * 10)
    assert cpu_seconds(IbanCodeRecognizer(), text) < 0.5
