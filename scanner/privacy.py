"""Masked text and keyed fingerprints: how a value is shown and stored without being kept.

>>> mask("IBAN_CODE", "BE71 0961 2345 6769")
'BE71 **** **** 6769'
>>> mask("BE_NATIONAL_NUMBER", "85.07.30-033.28")
'**.**.**-***.28'
>>> normalise("BE_NATIONAL_NUMBER", "85 07 30 033 28") == normalise("BE_NATIONAL_NUMBER", "85073003328")
True
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import phonenumbers

# How many characters (letters and digits, not separators) stay visible at the
# start and the end of a masked value. Just enough to tell two values apart in
# a report, never enough to rebuild one (birth dates in national numbers stay hidden).
_KEEP = {
    "IBAN_CODE": (4, 4),
    "BIC_CODE": (4, 0),
    "CREDIT_CARD": (0, 4),
    "BE_NATIONAL_NUMBER": (0, 2),
    "BE_ID_CARD_NUMBER": (0, 2),
    "BE_ENTERPRISE_NUMBER": (2, 3),
    "PHONE_NUMBER": (0, 2),
    "MRZ": (5, 0),
}
_FIXED = {"PASSWORD": "********"}
_IDENTIFIERS = {
    "IBAN_CODE", "BIC_CODE", "CREDIT_CARD", "BE_NATIONAL_NUMBER",
    "BE_ID_CARD_NUMBER", "BE_ENTERPRISE_NUMBER", "MRZ",
}
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def mask(entity_type: str, value: str) -> str:
    if entity_type in _FIXED:
        return _FIXED[entity_type]
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return local[:1] + "*" * max(len(local) - 1, 1) + "@" + "*" * max(len(domain) - len(tld) - 1, 1) + "." + tld
    if entity_type == "IP_ADDRESS":
        return re.sub(r"[0-9A-Fa-f]", "*", value)
    if entity_type in _KEEP:
        head, tail = _KEEP[entity_type]
        positions = [i for i, ch in enumerate(value) if ch.isalnum()]
        if len(positions) <= head + tail:
            head, tail = 0, 0
        hidden = set(positions[head : len(positions) - tail])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(value))
    # Names, addresses, dates: the first character of each word, then stars.
    return re.sub(r"(?<=\w)\w", "*", value)


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def normalise(entity_type: str, value: str) -> str:
    """The canonical form a fingerprint is made of: spacing and punctuation do not count."""
    if entity_type in _IDENTIFIERS:
        compact = re.sub(r"[^0-9A-Za-z<|]", "", value).upper()
        if entity_type in {"BE_NATIONAL_NUMBER", "BE_ID_CARD_NUMBER", "CREDIT_CARD"}:
            compact = compact.translate(_OCR_DIGITS)
        if entity_type == "BE_ENTERPRISE_NUMBER":
            digits = re.sub(r"\D", "", compact.translate(_OCR_DIGITS))
            compact = digits.zfill(10)
        return compact
    if entity_type == "EMAIL_ADDRESS":
        return value.strip().casefold()
    if entity_type == "PHONE_NUMBER":
        try:
            number = phonenumbers.parse(value, "BE")
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            return re.sub(r"\D", "", value)
    if entity_type == "PASSWORD":
        return value
    return _fold(value)


def fingerprint(entity_type: str, value: str, key: bytes) -> str:
    digest = hmac.new(key, normalise(entity_type, value).encode(), hashlib.sha256)
    return "hmac-sha256:" + digest.hexdigest()
