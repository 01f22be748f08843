"""The analysts' review UI, served by ``piiscan serve --db URL`` under ``/review`` (docs/review.md)."""

from scanner.review.web import ReviewSettings, create_review_app

__all__ = ["ReviewSettings", "create_review_app"]
