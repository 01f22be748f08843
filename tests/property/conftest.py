"""Hypothesis settings for the property tests.

The default profile is repeatable (``derandomize``: the same examples on every run, so a failure
in ``make test`` is a failure of the code, not of the draw) and writes no example database into
the repository. ``PIISCAN_HYPOTHESIS=explore pytest tests/property`` draws ten times as many
examples, at random, for a look further afield.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps a cache (.hypothesis/) in the current folder: not in the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "piiscan-hypothesis")

COMMON = dict(deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("piiscan", derandomize=True, **COMMON)
settings.register_profile("explore", derandomize=False, **COMMON)
settings.load_profile(os.environ.get("PIISCAN_HYPOTHESIS", "piiscan"))
