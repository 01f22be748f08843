"""Checks that every annotated value is what its label says (python-stdnum).

Used by the generator on every value it annotates and again on the files as
written. An entity must be valid (national number or BIS, enterprise number,
eID card number, IBAN, Luhn card number, MRZ check digits); a decoy must not
pass for an identifier it only resembles.
"""

from __future__ import annotations

import ipaddress
import re

from stdnum import bic, iban, luhn
from stdnum.be import bis, eid, nn, ogm_vcs, vat


class AnnotationError(ValueError):
    pass


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)


# --- MRZ (ICAO 9303) ---------------------------------------------------------

def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; digits as such, A-Z = 10-35, '<' = 0.

    >>> mrz_check_digit("520727")
    '3'
    """
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            v = int(ch)
        elif ch == "<":
            v = 0
        else:
            v = ord(ch) - ord("A") + 10
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def mrz_problems(block: str) -> list[str]:
    """Why a Belgian TD1 MRZ block is not valid (empty list when it is)."""
    lines = block.split("\n")
    if len(lines) != 3 or any(len(l) != 30 for l in lines):
        return ["not three lines of 30 characters"]
    l1, l2, l3 = lines
    if not all(re.fullmatch(r"[A-Z0-9<]{30}", l) for l in lines) or not l1.startswith("IDBEL"):
        return ["line 1 is not a Belgian ID card line"]
    problems = []
    # Long document number: 9 digits, '<', then the last 3 and its check digit.
    docno = l1[5:14] + l1[15:18]
    if l1[14] != "<" or mrz_check_digit(docno) != l1[18]:
        problems.append("document number check digit")
    if not eid.is_valid(docno):
        problems.append("document number is not a valid eID card number")
    if mrz_check_digit(l2[0:6]) != l2[6]:
        problems.append("birth date check digit")
    if mrz_check_digit(l2[8:14]) != l2[14]:
        problems.append("expiry date check digit")
    if l2[15:18] != "BEL":
        problems.append("nationality")
    if not (nn.is_valid(l2[18:29]) or bis.is_valid(l2[18:29])):
        problems.append("optional data 2 is not a national number")
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    if mrz_check_digit(composite) != l2[29]:
        problems.append("composite check digit")
    if "<<" not in l3:
        problems.append("line 3 has no surname separator")
    return problems


# --- entities ------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ADDRESS = re.compile(r"\d.*\b\d{4} [A-ZÀ-Ýa-zß]", re.S)


def _national(v):
    return nn.is_valid(v) or bis.is_valid(v)


def _enterprise(v):
    return vat.is_valid(v)


def _id_card(v):
    return eid.is_valid(v) and re.fullmatch(r"\d{3}-\d{7}-\d{2}", v) is not None


def _iban(v):
    return iban.is_valid(v)


def _bic(v):
    return bic.is_valid(v)


def _card(v):
    d = digits(v)
    return luhn.is_valid(d) and 13 <= len(d) <= 19 and d[0] in "2345"


def _phone(v):
    d = digits(v)
    return re.fullmatch(r"[+(0-9][0-9 ./()-]*[0-9]", v) is not None and 8 <= len(d) <= 15


def _ip(v):
    try:
        ipaddress.ip_address(v)
        return True
    except ValueError:
        return False


def _mrz(v):
    return not mrz_problems(v)


def _person(v):
    return not any(ch.isdigit() for ch in v) and "\n" not in v


def _date(v):
    return re.search(r"\d", v) is not None


_CHECKS = {
    "BE_NATIONAL_NUMBER": _national,
    "BE_ENTERPRISE_NUMBER": _enterprise,
    "BE_ID_CARD_NUMBER": _id_card,
    "IBAN_CODE": _iban,
    "BIC_CODE": _bic,
    "CREDIT_CARD": _card,
    "EMAIL_ADDRESS": lambda v: _EMAIL.fullmatch(v) is not None,
    "PHONE_NUMBER": _phone,
    "IP_ADDRESS": _ip,
    "PERSON": _person,
    "ADDRESS": lambda v: _ADDRESS.search(v) is not None,
    "DATE_OF_BIRTH": _date,
    "PASSWORD": lambda v: "\n" not in v,
    "MRZ": _mrz,
}


def check_entity(label: str, value: str) -> None:
    if not _CHECKS[label](value):
        raise AnnotationError(f"{label} value fails its check: {value!r}")


# --- decoys --------------------------------------------------------------------

def passes_as_identifier(value: str, luhn_min: int = 12) -> list[str]:
    """The identifier checks a number passes (used to vet decoys).

    Luhn only counts from `luhn_min` digits: a short number passes it one time
    in ten without looking like a card.
    """
    d = digits(value)
    passed = []
    for name, ok in (("nn", nn.is_valid), ("bis", bis.is_valid), ("vat", vat.is_valid),
                     ("eid", eid.is_valid), ("iban", iban.is_valid), ("luhn", luhn.is_valid)):
        for candidate in {value, d}:
            try:
                if ok(candidate) and (name != "luhn" or len(d) >= luhn_min):
                    passed.append(name)
                    break
            except Exception:
                pass
    return passed


def check_decoy(kind: str, value: str) -> None:
    if kind == "OGM":
        core = value.strip("+*")
        if not ogm_vcs.is_valid(core) or not re.fullmatch(r"(\d{3}/\d{4}/\d{5}|\d{12})", core):
            raise AnnotationError(f"OGM decoy is not a valid structured reference: {value!r}")
        return
    if kind == "BIC_WORD":
        if not re.fullmatch(r"[A-Z]{8}([A-Z]{3})?", value):
            raise AnnotationError(f"BIC_WORD decoy is not an 8/11-letter capital word: {value!r}")
        return
    if kind == "BAD_CHECKSUM" and len(digits(value)) not in (10, 11):
        raise AnnotationError(f"BAD_CHECKSUM decoy must have 10 or 11 digits: {value!r}")
    if kind in ("AMOUNT", "DATE", "POSTCODE_ALONE"):
        return
    passed = passes_as_identifier(value, luhn_min=0 if kind == "BAD_CHECKSUM" else 12)
    if passed:
        raise AnnotationError(f"{kind} decoy {value!r} passes as {passed}")
