"""Property-based tests (hypothesis): see conftest.py for the profiles."""

import os


def examples(count: int) -> int:
    """``count`` examples, ten times as many under ``PIISCAN_HYPOTHESIS=explore``."""
    return count * (10 if os.environ.get("PIISCAN_HYPOTHESIS") == "explore" else 1)
