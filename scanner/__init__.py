"""piiscan: find and remove personal data in Belgian documents and ID-card uploads."""

__version__ = "0.1.0"
