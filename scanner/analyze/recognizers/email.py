"""E-mail addresses (EMAIL_ADDRESS): Presidio's recognizer, kept offline.

Presidio validates the domain with ``tldextract.extract``, which downloads the
Public Suffix List on first use. Ours uses the list snapshot that ships inside
tldextract and never opens a connection (tests/test_offline.py proves it).
"""

from __future__ import annotations

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer as PresidioEmailRecognizer

CONTEXT = ["email", "e-mail", "courriel", "mail", "adresse e-mail", "e-mailadres", "mailadres", "e-mail-adresse"]

# suffix_list_urls=() and cache_dir=None: the bundled snapshot, no network, no cache file.
_OFFLINE = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class EmailAddressRecognizer(PresidioEmailRecognizer):
    def __init__(self, supported_language: str = "fr"):
        super().__init__(context=CONTEXT, supported_language=supported_language, name="EmailAddressRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE(pattern_text).fqdn != ""
