"""Invented people, companies and identifiers for the sample documents.

Every identifier is built to be checksum-valid and is checked with
python-stdnum; none belongs to a real person or company (numbers are drawn at
random, so a collision with a real one would be a coincidence).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.be import bis, eid, nn, ogm_vcs, vat
from stdnum.be import iban as be_iban

import pools
from validation import mrz_check_digit, passes_as_identifier


def mod97_check(first10: str) -> str:
    """Two check digits = first ten digits mod 97 (97 when 0).

    The same rule protects a structured communication (OGM/VCS), the eID card
    number and the national part of a Belgian IBAN; python-stdnum exposes it as
    `ogm_vcs.calc_check_digits`.
    """
    return ogm_vcs.calc_check_digits(first10)


def ascii_fold(s: str) -> str:
    s = s.translate(str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "đ": "d",
                                   "æ": "ae", "œ": "oe"}))
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


# --- value objects -------------------------------------------------------------

@dataclass(frozen=True)
class Address:
    street: str
    number: str
    box: str          # "", " bte 3", " bus 20", "/4"
    postcode: str
    town: str
    zone: str         # telephone zone of the town, "2" for Brussels
    street_nl: str = ""
    town_nl: str = ""

    def line(self) -> str:
        return f"{self.street} {self.number}{self.box}, {self.postcode} {self.town}"

    def lines(self) -> str:
        return f"{self.street} {self.number}{self.box}\n{self.postcode} {self.town}"

    def upper_lines(self) -> str:
        return self.lines().upper()

    def nl(self) -> "Address":
        """The Dutch form of a Brussels address (same place)."""
        if not self.street_nl:
            return self
        box = self.box.replace(" bte ", " bus ").replace(" boîte ", " bus ")
        return replace(self, street=self.street_nl, town=self.town_nl, box=box)


@dataclass(frozen=True)
class Phone:
    cc: str                   # country calling code
    nsn: str                  # national significant number
    groups: tuple[int, ...]   # grouping of the nsn for display

    def _parts(self, groups=None) -> list[str]:
        out, i = [], 0
        for g in groups or self.groups:
            out.append(self.nsn[i:i + g])
            i += g
        return out

    @property
    def is_mobile(self) -> bool:
        return self.cc == "32" and self.nsn.startswith("4") and len(self.nsn) == 9

    def fmt(self, style: str = "nat") -> str:
        p = self._parts()
        if self.cc != "32":
            return {"intl": "+", "intl_00": "00"}.get(style, "+") + self.cc + " " + " ".join(p)
        head, rest = p[0], p[1:]
        return {
            "nat": f"0{head} " + " ".join(rest),
            "nat_slash": f"0{head}/" + ".".join(rest),
            "nat_paren": f"(0{head}) " + " ".join(rest),
            "nat_dots": f"0{head}." + ".".join(rest),
            "nat_compact": "0" + self.nsn,
            "nat_3": "0" + " ".join(self._parts((3, 3, 3))) if self.is_mobile else f"0{head} " + " ".join(rest),
            "intl": f"+32 {head} " + " ".join(rest),
            "intl_compact": "+32" + self.nsn,
            "intl_00": f"0032 {head} " + " ".join(rest),
            "intl_0": f"+32 (0){head} " + " ".join(rest),
        }[style]


BE_PHONE_STYLES = ("nat", "nat", "nat", "nat_slash", "intl", "intl", "intl_00",
                   "nat_compact", "intl_0", "nat_3", "nat_dots", "intl_compact")


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    sex: str                 # "M" or "F"
    lang: str
    birth: dt.date
    nn: str                  # national register (or BIS) number, 11 digits
    address: Address
    mobile: Phone
    landline: Phone
    email: str
    iban: str
    bic: str | None

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def surname(self) -> str:
        """The family name on its own: Dutch capitalises a particle then
        ("mevrouw Van der Meer" for "Sanne van der Meer"); French and German keep
        it ("Monsieur de Ribaucourt", "Herr von Arnim")."""
        if self.lang == "nl":
            return self.family[0].upper() + self.family[1:]
        return self.family

    @property
    def caps(self) -> str:
        return f"{self.given} {self.family.upper()}"

    @property
    def reverse(self) -> str:
        return f"{self.family.upper()} {self.given}"


@dataclass(frozen=True)
class Company:
    name: str
    lang: str
    address: Address
    vat: str
    phone: Phone
    email: str
    web: str
    iban: str
    bic: str
    bank: str


# --- formatting of identifiers ------------------------------------------------------

def fmt_nn(n: str, style: str) -> str:
    return {
        "card": f"{n[0:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:11]}",
        "compact": n,
        "spaced": f"{n[0:2]} {n[2:4]} {n[4:6]} {n[6:9]} {n[9:11]}",
        "dashed": f"{n[0:6]}-{n[6:9]}-{n[9:11]}",
    }[style]


NN_STYLES = ("card", "card", "compact", "spaced", "dashed")


def fmt_vat(n: str, style: str) -> str:
    dotted = f"{n[0:4]}.{n[4:7]}.{n[7:10]}"
    return {
        "dotted": dotted,
        "be": "BE" + n,
        "be_dotted": "BE " + dotted,
        "be_dotted_tight": "BE" + dotted,
        "spaced": f"{n[0:4]} {n[4:7]} {n[7:10]}",
    }[style]


VAT_STYLES = ("dotted", "dotted", "be", "be_dotted", "be_dotted_tight", "spaced")


def fmt_iban(n: str, grouped: bool = True) -> str:
    return std_iban.format(n) if grouped else n


def fmt_eid(n: str) -> str:
    return f"{n[0:3]}-{n[3:10]}-{n[10:12]}"


def fmt_ogm(n: str, style: str = "+++") -> str:
    if style == "bare":
        return n
    return f"{style}{n[0:3]}/{n[3:7]}/{n[7:12]}{style}"


def fmt_card(n: str) -> str:
    return " ".join(n[i:i + 4] for i in range(0, len(n), 4))


# --- the factory --------------------------------------------------------------------

class Faker:
    """All randomness of the generator goes through `self.rng` (fixed seed)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._used: set[str] = set()
        self._names: set[str] = set()
        self._families: Counter[str] = Counter()

    # helpers
    def pick(self, seq):
        return self.rng.choice(list(seq))

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def _unique(self, make):
        for _ in range(1000):
            v = make()
            if v not in self._used:
                self._used.add(v)
                return v
        raise RuntimeError("could not draw a fresh value")

    # identifiers
    def national_number(self, birth: dt.date, sex: str, kind: str = "nn") -> str:
        """kind: "nn"; "bis40" (BIS, sex known: month + 40); "bis20" (sex unknown)."""
        month = birth.month + {"nn": 0, "bis40": 40, "bis20": 20}[kind]

        def make():
            counter = self.rng.randrange(1, 998)
            if kind != "bis20" and counter % 2 != (1 if sex == "M" else 0):
                counter += 1 if counter < 997 else -1
            base = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{counter:03d}"
            checked = int(("2" if birth.year >= 2000 else "") + base)
            return base + f"{97 - checked % 97:02d}"

        n = self._unique(make)
        assert (nn.is_valid(n) if kind == "nn" else bis.is_valid(n)), n
        return n

    def enterprise_number(self, new: bool = False) -> str:
        def make():
            first8 = ("1" + self.digits(7)) if new else ("0" + self.pick("456789") + self.digits(6))
            return first8 + f"{97 - int(first8) % 97:02d}"
        n = self._unique(make)
        assert vat.is_valid(n), n
        return n

    def id_card_number(self) -> str:
        def make():
            first10 = self.pick(("591", "592", "593", "594", "595", "596")) + self.digits(7)
            return first10 + mod97_check(first10)
        n = self._unique(make)
        assert eid.is_valid(n), n
        return n

    def be_iban(self, bank: str | None = None) -> tuple[str, str, str]:
        """(IBAN, BIC, bank name) of an invented Belgian account."""
        bank = bank or self.pick(pools.BE_BANKS)

        def make():
            first10 = bank + self.digits(7)
            bban = first10 + mod97_check(first10)
            return "BE" + std_iban.calc_check_digits("BE00" + bban) + bban
        n = self._unique(make)
        assert std_iban.is_valid(n) and be_iban.is_valid(n), n
        return n, be_iban.to_bic(n), pools.BE_BANKS[bank]

    def foreign_iban(self, cc: str) -> tuple[str, str, str]:
        code, bic, name = self.pick(pools.FOREIGN_BANKS[cc])

        def make():
            if cc == "FR":
                branch, account = self.digits(5), self.digits(11)
                key = 97 - (89 * int(code) + 15 * int(branch) + 3 * int(account)) % 97
                bban = f"{code}{branch}{account}{key:02d}"
            elif cc == "NL":
                bban = code + self.digits(10)
            elif cc == "DE":
                bban = code + self.digits(10)
            else:  # LU
                bban = code + self.digits(13)
            return cc + std_iban.calc_check_digits(cc + "00" + bban) + bban
        n = self._unique(make)
        assert std_iban.is_valid(n), n
        return n, bic, name

    def ogm(self) -> str:
        def make():
            first10 = self.digits(10)
            return first10 + mod97_check(first10)
        n = self._unique(make)
        assert ogm_vcs.is_valid(n), n
        return n

    def card_number(self, brand: str) -> str:
        def make():
            head = "4" + self.digits(14) if brand == "visa" else "5" + self.pick("12345") + self.digits(13)
            return head + luhn.calc_check_digit(head)
        n = self._unique(make)
        assert luhn.is_valid(n), n
        return n

    def bad_national_number(self) -> str:
        """11 digits shaped like a national number (plausible date) that fail every check."""
        def make():
            d = self.date_between(1950, 2005)
            base = f"{d.year % 100:02d}{d.month:02d}{d.day:02d}{self.digits(3)}"
            return base + self.digits(2)
        for _ in range(1000):
            n = make()
            if not passes_as_identifier(n, luhn_min=0) and n not in self._used:
                self._used.add(n)
                return n
        raise RuntimeError("no bad national number")

    def bad_enterprise_number(self) -> str:
        """10 digits starting with 0 that fail the enterprise check (and the others)."""
        for _ in range(1000):
            n = "0" + self.pick("456789") + self.digits(8)
            if not passes_as_identifier(n, luhn_min=0) and n not in self._used:
                self._used.add(n)
                return n
        raise RuntimeError("no bad enterprise number")

    # dates
    def date_between(self, y0: int, y1: int) -> dt.date:
        start, end = dt.date(y0, 1, 1), dt.date(y1, 12, 31)
        return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))

    def doc_date(self) -> dt.date:
        """A document date between January 2024 and June 2025, on a weekday."""
        d = dt.date(2024, 1, 2) + dt.timedelta(days=self.rng.randrange(540))
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        return d

    # phones
    def phone_be(self, kind: str = "mobile", zone: str = "2") -> Phone:
        def make():
            if kind == "mobile":
                return self.pick(("470", "471", "472", "473", "474", "475", "476", "477",
                                  "478", "479", "484", "485", "486", "487", "488", "489",
                                  "490", "491", "492", "493", "494", "495", "496", "497",
                                  "498", "499")) + self.digits(6)
            first = {"2": "2345678", "3": "2345678", "4": "23", "9": "234", "80": "2345678"}.get(zone, "2345678")
            return zone + self.pick(first) + self.digits(7 - len(zone))
        nsn = self._unique(make)
        if kind == "mobile":
            groups = (3, 2, 2, 2)
        elif len(zone) == 1:
            groups = (1, 3, 2, 2)
        else:
            groups = (2, 2, 2, 2)
        return Phone("32", nsn, groups)

    def phone_foreign(self, cc: str, kind: str = "mobile") -> Phone:
        spec = {
            ("FR", "mobile"): ("33", lambda: self.pick("67") + self.digits(8), (1, 2, 2, 2, 2)),
            ("FR", "fixed"): ("33", lambda: "1" + self.pick("456") + self.digits(7), (1, 2, 2, 2, 2)),
            ("NL", "mobile"): ("31", lambda: "6" + self.pick("1234") + self.digits(7), (1, 4, 4)),
            ("NL", "fixed"): ("31", lambda: "20" + self.pick("5678") + self.digits(6), (2, 3, 4)),
            ("DE", "mobile"): ("49", lambda: self.pick(("151", "160", "170", "176")) + self.digits(8), (3, 4, 4)),
            ("DE", "fixed"): ("49", lambda: "241" + self.pick("4569") + self.digits(6), (3, 4, 3)),
            ("GB", "mobile"): ("44", lambda: "7" + self.pick(("911", "700", "824")) + self.digits(6), (4, 6)),
            ("GB", "fixed"): ("44", lambda: "207946" + "0" + self.digits(3), (2, 4, 4)),
            ("LU", "mobile"): ("352", lambda: "621" + self.digits(6), (3, 3, 3)),
        }
        cc_code, make, groups = spec[(cc, kind)]
        return Phone(cc_code, self._unique(make), groups)

    # addresses
    def address(self, lang: str, region: str | None = None) -> Address:
        region = region or {
            "fr": self.pick(("brussels", "wallonia", "wallonia")),
            "nl": self.pick(("flanders", "flanders", "flanders", "brussels")),
            "de": self.pick(("ostbelgien",) * 5 + ("wallonia",)),
            "en": self.pick(("brussels", "brussels", "flanders")),
        }[lang]
        number = str(self.rng.choice((self.rng.randrange(1, 40), self.rng.randrange(1, 250))))
        if self.rng.random() < 0.12:
            number += {"nl": "A", "de": "a"}.get(lang, "B" if lang == "fr" else "A")
        box = ""
        if self.rng.random() < 0.4 and lang != "de":
            b = str(self.rng.choice((self.rng.randrange(1, 9), self.rng.randrange(1, 40))))
            box = self.pick({"fr": (" bte ", " bte ", " boîte ", "/"),
                             "nl": (" bus ", " bus ", "/"),
                             "en": (" box ", " bte ", "/")}[lang]) + b
        if region == "brussels":
            fr_street, nl_street, pc, fr_town, nl_town = self.pick(pools.BRUSSELS)
            a = Address(fr_street, number, box, pc, fr_town, "2", nl_street, nl_town)
            return a.nl() if lang == "nl" else a
        table = {"wallonia": pools.WALLONIA, "flanders": pools.FLANDERS,
                 "ostbelgien": pools.OSTBELGIEN}[region]
        street, pc, town, zone = self.pick(table)
        return Address(street, number, box, pc, town, zone)

    # e-mail
    def email(self, given: str, family: str, domain: str, style: str | None = None) -> str:
        g = ascii_fold(given).lower().replace(" ", "").replace("'", "")
        f = ascii_fold(family).lower().replace(" ", "").replace("'", "")
        style = style or self.pick(("first.last", "first.last", "flast", "firstlast",
                                    "last.first", "first_last", "first.last.nn"))
        local = {
            "first.last": f"{g}.{f}", "flast": f"{g[0]}{f}", "firstlast": f"{g}{f}",
            "last.first": f"{f}.{g}", "first_last": f"{g}_{f}",
            "first.last.nn": f"{g}.{f}{self.rng.randrange(10, 99)}",
            "first": g, "f.last": f"{g[0]}.{f}",
        }[style]
        address = f"{local}@{domain}"
        while address in self._used:
            address = f"{local}{self.rng.randrange(1, 99)}@{domain}"
        self._used.add(address)
        return address

    # people
    def uncommon_name(self, sex: str | None = None) -> tuple[str, str, str]:
        """A not yet used (given, family, sex) from the less common names."""
        return self.pick([u for u in pools.UNCOMMON
                          if f"{u[0]} {u[1]}" not in self._names and sex in (None, u[2])])

    def person(self, lang: str, *, sex: str | None = None, born: tuple[int, int] = (1948, 1999),
               nn_kind: str = "nn", name: tuple[str, str, str] | None = None,
               region: str | None = None, netherlands: bool = False,
               iban_country: str = "BE") -> Person:
        """An invented person living in Belgium (or with a foreign account/phone)."""
        if name:
            given, family, sex = name
        else:
            for attempt in range(1000):
                sex = sex or self.pick("MF")
                given = self.pick(pools.GIVEN[lang][sex])
                family = self.pick(pools.FAMILY_NL_NETHERLANDS if netherlands else pools.FAMILY[lang])
                # prefer family names not met twice already, for variety
                if f"{given} {family}" not in self._names and (
                        self._families[family] < 2 or attempt > 200):
                    break
        full = f"{given} {family}"
        if full in self._names:
            raise ValueError(f"name used twice: {full}")
        self._names.add(full)
        self._families[family] += 1
        birth = self.date_between(*born)
        address = self.address(lang, region)
        mobile = self.phone_be("mobile")
        landline = self.phone_be("fixed", address.zone)
        email = self.email(given, family, self.pick(pools.MAIL_DOMAINS[lang]))
        if iban_country == "BE":
            iban, bic_code, _ = self.be_iban()
        else:
            iban, bic_code, _ = self.foreign_iban(iban_country)
        return Person(given, family, sex, lang, birth, self.national_number(birth, sex, nn_kind),
                      address, mobile, landline, email, iban, bic_code)

    def relative(self, p: Person, sex: str, born: tuple[int, int]) -> Person:
        """A family member bearing the same family name."""
        given = self.pick([g for g in pools.GIVEN[p.lang][sex] if f"{g} {p.family}" not in self._names])
        return self.person(p.lang, born=born, name=(given, p.family, sex))

    def company(self, name: str, lang: str, domain: str, *, address: Address | None = None,
                region: str | None = None, bank: str | None = None, mailbox: str = "info") -> Company:
        address = address or self.address(lang, region)
        iban, bic_code, bank_name = self.be_iban(bank)
        return Company(name, lang, address, self.enterprise_number(),
                       self.phone_be("fixed", address.zone), f"{mailbox}@{domain}",
                       "www." + domain, iban, bic_code, bank_name)

    # IP addresses (documentation ranges, RFC 5737 / RFC 3849)
    def ipv4(self) -> str:
        net = self.pick(("192.0.2", "198.51.100", "203.0.113"))
        return self._unique(lambda: f"{net}.{self.rng.randrange(2, 254)}")

    def ipv6(self) -> str:
        return self._unique(lambda: "2001:db8:" + ":".join(
            f"{self.rng.randrange(1, 0xffff):x}" for _ in range(3)) + "::" + f"{self.rng.randrange(1, 0xff):x}")


# --- MRZ -------------------------------------------------------------------------

_MRZ_TRANSLIT = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "'": "",
                               "-": "<", " ": "<"})


def mrz_name(s: str) -> str:
    return ascii_fold(s.upper().translate(_MRZ_TRANSLIT)).upper()


def mrz_td1(person: Person, card: str, expiry: dt.date) -> str:
    """The three 30-character lines of a Belgian eID card (ICAO 9303 TD1).

    The 12-digit card number is too long for the 9-character field: its first
    nine digits fill it, '<' follows, and the last three digits plus the check
    digit (computed over the 12 digits) open the optional data.
    """
    l1 = ("IDBEL" + card[:9] + "<" + card[9:] + mrz_check_digit(card)).ljust(30, "<")
    birth = person.birth.strftime("%y%m%d")
    exp = expiry.strftime("%y%m%d")
    l2 = birth + mrz_check_digit(birth) + person.sex + exp + mrz_check_digit(exp) + "BEL" + person.nn
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += mrz_check_digit(composite)
    l3 = (mrz_name(person.family) + "<<" + mrz_name(person.given)).ljust(30, "<")[:30]
    return "\n".join((l1, l2, l3))


# --- local formats for dates and amounts ------------------------------------------

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "en": "January February March April May June July August September October November December".split(),
}


def fmt_date(d: dt.date, lang: str, style: str = "slash") -> str:
    if style == "long":
        if lang == "de":
            return f"{d.day}. {MONTHS['de'][d.month - 1]} {d.year}"
        day = "1er" if (lang == "fr" and d.day == 1) else str(d.day)
        return f"{day} {MONTHS[lang][d.month - 1]} {d.year}"
    return {
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "iso": d.isoformat(),
    }[style]


def fmt_amount(x: Decimal, lang: str, style: str = "num") -> str:
    """Amounts as printed: "1.234,56" in fr/nl/de, "1,234.56" in en; style adds the currency."""
    q = f"{x.quantize(Decimal('0.01')):,.2f}"           # 1,234.56
    num = q if lang == "en" else q.replace(",", " ").replace(".", ",").replace(" ", ".")
    if style == "fr_space":
        num = q.replace(",", " ").replace(".", ",")
    plain = q.replace(",", "") if lang == "en" else q.replace(",", "").replace(".", ",")
    return {
        "num": num, "plain": plain, "fr_space": num + " €",
        "eur": num + " EUR", "eur_before": "EUR " + num,
        "euro": num + " €", "euro_before": "€ " + num, "euro_tight": "€" + num,
    }[style]
