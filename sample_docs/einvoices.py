#!/usr/bin/env python3
"""Generate the e-invoice and structured-export samples of sample_docs/einvoices/ with exact ground truth.

    python -m sample_docs.einvoices              # from the repository root
    python -m sample_docs.einvoices --out DIR    # write DIR/einvoices/ and DIR/einvoices_truth.jsonl instead

Writes Peppol BIS Billing 3.0 (UBL 2.1) invoices and credit notes, two of them
carrying their PDF as a base64 attachment, a Factur-X PDF (PDF/A-3B with its
CII XML attached as factur-x.xml), an .xlsx and an .ods debtor list and a JSON
and a JSON Lines debtor export, all full of invented Belgian personal data,
plus sample_docs/einvoices_truth.jsonl: one line per personal-data value
(entity) or look-alike that must stay quiet (decoy), with the file, the member
(an attachment) and where the value sits (an XPath-like element path, a cell,
a JSON path). Then it re-reads what it wrote and checks every value is where
the truth says, and that no checksum-valid identifier or e-mail address in the
data is left unannotated. The seed is fixed: a run reproduces the files byte
for byte. Needs python-stdnum, lxml and fpdf2 (and the DejaVu fonts).

Nothing here is real: people, companies, numbers and accounts are drawn by
fakes.py (checksum-valid, checked with python-stdnum); street names, postcodes
and bank codes are real ones so that the data looks right.
"""

from __future__ import annotations

import sys

sys.dont_write_bytecode = True   # leave no __pycache__ in sample_docs/

import argparse  # noqa: E402
import base64  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import string  # noqa: E402
import zipfile  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lxml import etree  # noqa: E402
from stdnum import bic as std_bic  # noqa: E402
from stdnum import iban as std_iban  # noqa: E402
from stdnum.be import bis, nn, ogm_vcs, vat  # noqa: E402

from fakes import Address, Company, Faker, Person, fmt_amount, fmt_date, fmt_iban, fmt_nn, fmt_ogm, fmt_vat  # noqa: E402
from validation import check_entity, digits, passes_as_identifier  # noqa: E402

SEED = 20250919                     # this script's own seed (generate.py and render.py have others)
FIXED_TIME = dt.datetime(2025, 5, 12, 9, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
ZIP_TIME = (2025, 5, 12, 9, 30, 0)
FOLDER = "einvoices"
TRUTH_NAME = "einvoices_truth.jsonl"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MAX_FILE_BYTES = 300_000
MAX_TOTAL_BYTES = 1_500_000

ENTITY_TYPES = ("BE_NATIONAL_NUMBER", "BE_ENTERPRISE_NUMBER", "IBAN_CODE", "BIC_CODE", "EMAIL_ADDRESS",
                "PHONE_NUMBER", "PERSON", "ADDRESS", "DATE_OF_BIRTH")
DECOY_KINDS = ("OGM", "INVOICE_NUMBER", "ORDER_NUMBER", "CUSTOMER_NUMBER", "FILE_NUMBER", "AMOUNT", "DATE",
               "BAD_CHECKSUM", "PRODUCT_CODE", "REFERENCE", "BIC_WORD")

F: Faker = None  # type: ignore[assignment]  # set by build(): every draw goes through it, in a fixed order


# --- values and texts with their annotations -----------------------------------------------------------

@dataclass(frozen=True)
class V:
    """A value to annotate: an entity type (checked as in generate.py) or a decoy kind (must not pass as
    the identifiers it resembles)."""
    label: str
    value: str

    def __post_init__(self):
        if not self.value or self.value != self.value.strip():
            raise ValueError(f"empty or padded value {self.value!r}")
        if self.label in ENTITY_TYPES:
            check_entity(self.label, self.value)
        elif self.label in DECOY_KINDS:
            check_decoy(self.label, self.value)
        else:
            raise ValueError(f"unknown label {self.label!r}")

    @property
    def decoy(self) -> bool:
        return self.label in DECOY_KINDS


def check_decoy(kind: str, value: str) -> None:
    if kind == "OGM":
        if not ogm_vcs.is_valid(digits(value)):
            raise ValueError(f"OGM decoy is not a valid structured communication: {value!r}")
    elif kind == "BIC_WORD":
        if not re.fullmatch(r"[A-Z]{8}([A-Z]{3})?", value):
            raise ValueError(f"BIC_WORD decoy is not an 8/11-letter capital word: {value!r}")
    elif kind == "BAD_CHECKSUM":
        compact = re.sub(r"\s", "", value)
        if passes_as_identifier(value, luhn_min=0) or (re.fullmatch(r"[A-Z]{2}\d{2}\w+", compact)
                                                         and std_iban.is_valid(compact)):
            raise ValueError(f"BAD_CHECKSUM decoy passes a check: {value!r}")
    elif kind not in ("AMOUNT", "DATE"):
        passed = passes_as_identifier(value)
        if passed:
            raise ValueError(f"{kind} decoy {value!r} passes as {passed}")


class Text:
    """A string under construction with the values annotated in it (as textbuild.Piece, with our labels)."""

    def __init__(self, *items):
        self.parts: list[str] = []
        self.spans: list[tuple[int, int, str]] = []
        self.length = 0
        for item in items:
            self.add(item)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, item) -> "Text":
        if isinstance(item, str):
            self._push(item)
        elif isinstance(item, V):
            self.spans.append((self.length, self.length + len(item.value), item.label))
            self._push(item.value)
        elif isinstance(item, Text):
            self.spans += [(s + self.length, e + self.length, label) for s, e, label in item.spans]
            self._push(item.text)
        else:
            raise TypeError(f"cannot append {type(item).__name__}")
        return self

    def _push(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def values(self) -> list[V]:
        text = self.text
        return [V(label, text[s:e]) for s, e, label in self.spans]

    def with_bic_words(self) -> "Text":
        """Capital words of 8 or 11 letters outside any annotation become BIC_WORD decoys (as generate.py)."""
        text = self.text
        for m in re.finditer(r"(?<![\w@.])[A-Z]{8}(?:[A-Z]{3})?(?![\w@.])", text):
            if not any(s < m.end() and m.start() < e for s, e, _ in self.spans):
                self.spans.append((m.start(), m.end(), "BIC_WORD"))
        self.spans.sort()
        return self


def fill(template: str, **values) -> Text:
    out = Text()
    for literal, name, spec, conv in string.Formatter().parse(template):
        if spec or conv:
            raise ValueError(f"format specs are not supported: {name}")
        out.add(literal)
        if name is not None:
            out.add(values[name])
    return out


def value_of(item) -> str:
    return item if isinstance(item, str) else item.value if isinstance(item, V) else item.text


# --- ground truth ------------------------------------------------------------------------------------------

class Truth:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, file: str, member: str | None, v: V, location: str | None, *, require=None, pieces=None):
        row = {"file": f"{FOLDER}/{file}", "member": member,
               "entity_type": None if v.decoy else v.label, "value": v.value,
               "location": location, "decoy": v.decoy}
        if v.decoy:
            row["kind"] = v.label
        if v.label == "ADDRESS":
            row["require"] = list(require or [v.value])
            if pieces:
                row["pieces"] = list(pieces)
        self.rows.append(row)

    def sorted_rows(self) -> list[dict]:
        """By file, then member (the file's own text first); in the order written within one."""
        return sorted(self.rows, key=lambda r: (r["file"], r["member"] or ""))


TRUTH = Truth()


# --- invented parties --------------------------------------------------------------------------------------

@dataclass
class Party:
    name: str
    lang: str
    address: Address
    is_person: bool = False
    company: Company | None = None
    person: Person | None = None
    contact: Person | None = None       # a company's contact person
    contact_email: str | None = None
    contact_phone: str | None = None
    phone: str | None = None            # the party's own line (company switchboard, a person's mobile)
    email: str | None = None
    iban: str | None = None
    bic: str | None = None
    enterprise: str | None = None       # 10 digits

    @property
    def vat(self) -> str | None:
        return "BE" + self.enterprise if self.enterprise else None


def company_party(name: str, lang: str, domain: str, *, region: str | None = None, mailbox: str = "info",
                  phone_style: str = "intl", contact_lang: str | None = None) -> Party:
    c = F.company(name, lang, domain, region=region, mailbox=mailbox)
    contact = F.person(contact_lang or lang)
    return Party(name=name, lang=lang, address=c.address, company=c, contact=contact,
                 contact_email=F.email(contact.given, contact.family, domain, F.pick(("first.last", "flast"))),
                 contact_phone=contact.mobile.fmt(F.pick(("intl", "nat", "intl_compact", "nat_slash"))),
                 phone=c.phone.fmt(phone_style), email=c.email, iban=c.iban, bic=c.bic, enterprise=c.vat)


def person_party(lang: str, **kw) -> Party:
    p = F.person(lang, **kw)
    return Party(name=p.full, lang=lang, address=p.address, is_person=True, person=p,
                 phone=p.mobile.fmt(F.pick(("intl", "nat", "nat_slash", "intl_compact"))),
                 email=p.email, iban=p.iban, bic=p.bic)


def money(lo: int, hi: int) -> Decimal:
    return Decimal(F.rng.randrange(lo * 100, hi * 100)) / 100


def q2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


def gs1(body: str) -> str:
    """GS1 check digit (GTIN, EAN-18 connection points): weights 3, 1 from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def drawn(kind: str, make) -> V:
    """A decoy of ``kind`` drawn by ``make`` until it passes none of the checks it resembles."""
    for _ in range(1000):
        try:
            return V(kind, make())
        except ValueError:
            continue
    raise RuntimeError(f"no {kind} decoy")


def ogm() -> V:
    return V("OGM", fmt_ogm(F.ogm(), "+++"))


def bad_iban(good: str) -> str:
    """A Belgian IBAN with two digits of the account swapped: every check fails."""
    for i in range(8, len(good) - 3):
        bad = good[:i] + good[i + 1] + good[i] + good[i + 2:]
        if bad != good and not std_iban.is_valid(bad) and not passes_as_identifier(bad, luhn_min=0):
            return bad
    raise RuntimeError("no bad IBAN")


# --- invoices ---------------------------------------------------------------------------------------------

@dataclass
class Line:
    name: str
    qty: int
    price: Decimal
    sku: V
    gtin: V | None = None

    @property
    def amount(self) -> Decimal:
        return q2(self.price * self.qty)


@dataclass
class Invoice:
    file: str
    doc: str                      # Invoice | CreditNote
    lang: str
    number: V
    issue: dt.date
    due: dt.date
    supplier: Party
    customer: Party
    lines: list[Line]
    vat_rate: int
    ogm: V
    order_ref: V | None = None
    buyer_ref: V | None = None
    billing_ref: V | None = None  # credit note: the invoice it corrects
    notes: list[Text] = field(default_factory=list)
    supplier_endpoint: str = "0208"       # 0208 (enterprise number) or 9925 (VAT number)
    customer_endpoint: str | None = "0208"  # 0208, 9925, EM (e-mail, a private customer) or None
    addr_style: str = "building"          # building: StreetName + BuildingNumber; street: all in StreetName
    payee: str = "supplier"               # whose account gets paid: supplier, or customer (a refund)
    mandate: V | None = None              # SEPA direct debit: the mandate reference (customer's account debited)
    delivery: Address | None = None
    delivery_id: V | None = None
    delivery_name: str | None = None
    pdf_name: str | None = None
    customer_ident: V | None = None       # PartyIdentification of a private customer (customer number)

    @property
    def net(self) -> Decimal:
        return sum((l.amount for l in self.lines), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return q2(self.net * self.vat_rate / 100)

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


def sku(prefix: str) -> V:
    return drawn("PRODUCT_CODE", lambda: f"{prefix}-{F.digits(5)}")


def gtin() -> V:
    return drawn("PRODUCT_CODE", lambda: gs1("54" + F.digits(10)))


def lines_of(spec, prefix: str, with_gtin: bool = False) -> list[Line]:
    return [Line(name, qty, Decimal(price), sku(prefix), gtin() if with_gtin and i % 2 == 0 else None)
            for i, (name, qty, price) in enumerate(spec)]


def doc_dates() -> tuple[dt.date, dt.date]:
    issue = F.doc_date()
    return issue, issue + dt.timedelta(days=F.pick((14, 30, 30)))


def make_invoices() -> list[Invoice]:
    out = []

    # 1. Dutch B2B invoice, printer to a garden centre; supplier endpoint = enterprise number; PDF attached.
    s = company_party("Drukkerij Lindenhof BV", "nl", "drukkerij-lindenhof.be", region="flanders",
                      mailbox="facturatie", phone_style="intl")
    c = company_party("Tuincentrum Groenhove BV", "nl", "groenhove.be", region="flanders",
                      mailbox="boekhouding", phone_style="nat")
    issue, due = doc_dates()
    number = V("INVOICE_NUMBER", f"VF25/{F.digits(4)}")
    delivery_contact = F.person("nl")
    inv = Invoice(
        "ubl_invoice_01_nl.xml", "Invoice", "nl", number, issue, due, s, c,
        lines_of([("Folders A5 vierkleurendruk (1000 st.)", 2, "184.50"), ("Affiches A2 op 170 g", 40, "3.85"),
                  ("Ontwerp en opmaak (uur)", 3, "62.00")], "DL"),
        21, ogm(), order_ref=drawn("ORDER_NUMBER", lambda: f"BB/{F.digits(2)}/{F.digits(3)}"),
        buyer_ref=drawn("CUSTOMER_NUMBER", lambda: f"KL-{F.digits(5)}"),
        supplier_endpoint="0208", customer_endpoint="9925", addr_style="building",
        delivery=F.address("nl", "flanders"), delivery_name=delivery_contact.full,
        pdf_name=f"Factuur_{number.value.replace('/', '-')}.pdf")
    inv.notes = [
        fill("Levering aan de winkel. Contactpersoon bij levering: {name}, {mobile}.",
             name=V("PERSON", delivery_contact.full),
             mobile=V("PHONE_NUMBER", delivery_contact.mobile.fmt("nat"))),
        fill("Bestelling {order} van {date}; betaling binnen 30 dagen.",
             order=inv.order_ref, date=V("DATE", fmt_date(issue - dt.timedelta(days=9), "nl", "slash"))),
    ]
    out.append(inv)

    # 2. French B2C invoice (heating repair), private customer with national number; PDF attached.
    s = company_party("Chauffage Horizon Meuse SRL", "fr", "horizon-meuse.be", region="wallonia",
                      mailbox="facturation", phone_style="nat")
    c = person_party("fr", region="wallonia")
    issue, due = doc_dates()
    number = V("INVOICE_NUMBER", f"F{issue.year}-{F.digits(5)}")
    inv = Invoice(
        "ubl_invoice_02_fr.xml", "Invoice", "fr", number, issue, due, s, c,
        lines_of([("Entretien annuel chaudière gaz", 1, "135.00"), ("Remplacement vase d'expansion", 1, "148.90"),
                  ("Main-d'œuvre technicien (h)", 2, "54.00"), ("Frais de déplacement", 1, "28.00")], "HM"),
        6, ogm(), customer_endpoint="EM", addr_style="street",
        customer_ident=drawn("CUSTOMER_NUMBER", lambda: f"CL-{F.digits(5)}"),
        pdf_name=f"facture_{number.value}.pdf")
    file_no = drawn("FILE_NUMBER", lambda: f"{issue.year}/IM/{F.digits(5)}")
    inv.notes = [
        fill("Client particulier : {name}, numéro de registre national {nn}.",
             name=V("PERSON", c.name), nn=V("BE_NATIONAL_NUMBER", fmt_nn(c.person.nn, "card"))),
        fill("En cas de non-paiement, le dossier {file} sera confié à Invoice Managers SRL pour recouvrement.",
             file=file_no),
    ]
    out.append(inv)

    # 3. Dutch B2C energy invoice paid by SEPA direct debit; national number in a note (as printed on eID cards).
    s = company_party("Energiecoöperatie Kempenwind CV", "nl", "kempenwind.be", region="flanders",
                      mailbox="klantendienst", phone_style="intl_compact")
    c = person_party("nl", region="flanders")
    issue, due = doc_dates()
    inv = Invoice(
        "ubl_invoice_03_nl.xml", "Invoice", "nl", V("INVOICE_NUMBER", f"{issue.year}{F.digits(6)}"), issue, due,
        s, c,
        [Line("Elektriciteit enkelvoudig tarief (kWh)", 1843, Decimal("0.2914"), sku("KW")),
         Line("Vaste vergoeding (maanden)", 12, Decimal("4.13"), sku("KW")),
         Line("Netvergoeding distributie", 1, Decimal("312.67"), sku("KW"))],
        6, ogm(), customer_endpoint="EM", supplier_endpoint="9925", addr_style="building",
        mandate=drawn("REFERENCE", lambda: f"KW-MAND-{F.digits(6)}"),
        delivery=c.address,
        delivery_id=drawn("PRODUCT_CODE", lambda: gs1("5414" + F.digits(13))))
    inv.notes = [
        fill("Rijksregisternummer {nn}", nn=V("BE_NATIONAL_NUMBER", fmt_nn(c.person.nn, "card"))),
        fill("Jaarafrekening voor {name}. Het saldo wordt op {date} gedomicilieerd van rekening {iban}.",
             name=V("PERSON", c.name), date=V("DATE", fmt_date(due, "nl", "slash")),
             iban=V("IBAN_CODE", fmt_iban(c.iban))),
    ]
    out.append(inv)

    # 4. German B2B invoice (Eupen heating installer to a Liège company); an old account number, mistyped, in a note.
    s = company_party("Haustechnik Weserquelle GmbH", "de", "weserquelle-haustechnik.be", region="ostbelgien",
                      mailbox="buchhaltung", phone_style="intl")
    c = company_party("Brasserie du Perron SRL", "fr", "brasserieduperron.be", region="wallonia",
                      mailbox="comptabilite", phone_style="nat_slash")
    issue, due = doc_dates()
    old = bad_iban(F.be_iban()[0])
    inv = Invoice(
        "ubl_invoice_04_de.xml", "Invoice", "de", V("INVOICE_NUMBER", f"RE-{issue.year}-{F.digits(4)}"), issue, due,
        s, c,
        lines_of([("Wartung Kühlanlage Schankraum", 1, "289.00"), ("Austausch Kompressorrelais", 2, "46.80"),
                  ("Arbeitsstunden Monteur", 4, "61.00"), ("Anfahrtspauschale", 1, "39.00")], "WQ", with_gtin=True),
        21, ogm(), order_ref=drawn("ORDER_NUMBER", lambda: f"A-{F.digits(6)}"),
        supplier_endpoint="9925", customer_endpoint="0208", addr_style="street")
    inv.notes = [
        fill("Ansprechpartner für Rückfragen: {name}, Tel. {phone}.",
             name=V("PERSON", s.contact.full), phone=V("PHONE_NUMBER", s.contact.mobile.fmt("intl"))),
        fill("Bitte nicht mehr auf das alte Konto {old} überweisen.", old=V("BAD_CHECKSUM", fmt_iban(old))),
    ]
    out.append(inv)

    # 5. French B2C credit note: a cancelled contract refunded to the customer's own account.
    s = company_party("Salle de sport Altitude SRL", "fr", "altitude-sport.be", region="brussels",
                      mailbox="facturation", phone_style="nat")
    c = person_party("fr", region="brussels")
    issue, due = doc_dates()
    original = V("INVOICE_NUMBER", f"FAC-{issue.year % 100}-{F.digits(4)}")
    inv = Invoice(
        "ubl_creditnote_01_fr.xml", "CreditNote", "fr", V("INVOICE_NUMBER", f"NC-{issue.year}-{F.digits(4)}"),
        issue, due, s, c,
        lines_of([("Abonnement annuel – prorata non consommé", 1, "214.50"), ("Frais d'inscription", 1, "35.00")],
                 "AS"),
        21, ogm(), billing_ref=original, customer_endpoint="EM", addr_style="street", payee="customer",
        customer_ident=drawn("CUSTOMER_NUMBER", lambda: f"C{F.digits(6)}"))
    inv.notes = [
        fill("Résiliation demandée par {name} le {date} ; remboursement sur le compte du membre.",
             name=V("PERSON", c.name), date=V("DATE", fmt_date(issue - dt.timedelta(days=12), "fr", "slash"))),
        fill("Pour toute question : {agent}, {phone}.", agent=V("PERSON", s.contact.full),
             phone=V("PHONE_NUMBER", s.contact.mobile.fmt("nat"))),
    ]
    out.append(inv)

    # 6. English B2B credit note between two Brussels companies.
    s = company_party("Northbridge Analytics SRL", "en", "northbridge-analytics.be", region="brussels",
                      mailbox="accounts", phone_style="intl")
    c = company_party("Atelier Marconi SRL", "fr", "atelier-marconi.be", region="brussels",
                      mailbox="compta", phone_style="intl_00", contact_lang="en")
    issue, due = doc_dates()
    inv = Invoice(
        "ubl_creditnote_02_en.xml", "CreditNote", "en", V("INVOICE_NUMBER", f"CN-{issue.year % 100}-{F.digits(4)}"),
        issue, due, s, c,
        lines_of([("Dashboard licence – seats not used (Q1)", 3, "89.00"), ("Training day cancelled", 1, "650.00")],
                 "NB"),
        21, ogm(), billing_ref=V("INVOICE_NUMBER", f"INV-{issue.year % 100}-{F.digits(4)}"),
        order_ref=drawn("ORDER_NUMBER", lambda: f"PO {F.digits(8)}"),
        supplier_endpoint="0208", customer_endpoint="9925", addr_style="building")
    inv.notes = [
        fill("Credit agreed with {name} ({email}) after the training of {date} was cancelled.",
             name=V("PERSON", c.contact.full), email=V("EMAIL_ADDRESS", c.contact_email),
             date=V("DATE", fmt_date(issue - dt.timedelta(days=20), "en", "long"))),
    ]
    out.append(inv)
    return out


# --- XML with element locations ----------------------------------------------------------------------------

class Xml:
    """An lxml tree being built; annotated values remember their element, whose path is computed at the end."""

    def __init__(self, root: str, nsmap: dict):
        self.nsmap = nsmap
        self.root = etree.Element(self.tag(root), nsmap=nsmap)
        self.marks: list[tuple] = []   # (element, V, extra)

    def tag(self, qname: str) -> str:
        prefix, _, local = qname.rpartition(":")
        return "{%s}%s" % (self.nsmap[prefix or None], local)

    def add(self, parent, qname: str, value=None, **attrs):
        el = etree.SubElement(parent, self.tag(qname))
        for k, v in attrs.items():
            el.set(k, v)
        if value is not None:
            el.text = value_of(value)
            if isinstance(value, V):
                self.marks.append((el, value, {}))
            elif isinstance(value, Text):
                self.marks += [(el, v, {}) for v in value.values()]
        return el

    def mark(self, el, v: V, **extra) -> None:
        self.marks.append((el, v, extra))

    @staticmethod
    def location(el) -> str:
        parts = []
        while el is not None:
            parent = el.getparent()
            local = etree.QName(el).localname
            name = f"{el.prefix}:{local}" if el.prefix else local
            if parent is not None:
                same = [c for c in parent if c.tag == el.tag]
                if len(same) > 1:
                    name += f"[{same.index(el) + 1}]"
            parts.append(name)
            el = parent
        return "/" + "/".join(reversed(parts))

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def record(self, file: str, member: str | None) -> None:
        for el, v, extra in self.marks:
            TRUTH.add(file, member, v, self.location(el), **extra)


UBL_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def amount(x: Decimal) -> str:
    return f"{x:.2f}"


def ubl_address(x: Xml, parent, qname: str, a: Address, style: str) -> None:
    """PostalAddress / Address. The truth value is the address as a reader joins it on one line
    ("StreetName BuildingNumber, PostalZone CityName"); a finding must cover the street with its number and
    the postcode."""
    el = x.add(parent, qname)
    if style == "building":
        x.add(el, "cbc:StreetName", a.street)
        if a.box:  # " bus 3", " bte 3", "/3": the box, on its own line as Peppol senders put it
            x.add(el, "cbc:AdditionalStreetName", f"bus {a.box[1:]}" if a.box.startswith("/") else a.box.strip())
        x.add(el, "cbc:BuildingNumber", a.number)
        x.add(el, "cbc:CityName", a.town)
        x.add(el, "cbc:PostalZone", a.postcode)
        street = f"{a.street} {a.number}"
        pieces = [a.street, a.number, a.postcode, a.town]
    else:
        street = f"{a.street} {a.number}{a.box}"
        x.add(el, "cbc:StreetName", street)
        x.add(el, "cbc:CityName", a.town)
        x.add(el, "cbc:PostalZone", a.postcode)
        pieces = [street, a.postcode, a.town]
    country = x.add(el, "cac:Country")
    x.add(country, "cbc:IdentificationCode", "BE")
    x.mark(el, V("ADDRESS", f"{street}, {a.postcode} {a.town}"), require=[street, a.postcode], pieces=pieces)


def ubl_party(x: Xml, parent, p: Party, endpoint: str | None, style: str, ident: V | None = None) -> None:
    party = x.add(parent, "cac:Party")
    if endpoint == "0208":
        x.add(party, "cbc:EndpointID", V("BE_ENTERPRISE_NUMBER", p.enterprise), schemeID="0208")
    elif endpoint == "9925":
        x.add(party, "cbc:EndpointID", V("BE_ENTERPRISE_NUMBER", p.vat), schemeID="9925")
    elif endpoint == "EM":
        x.add(party, "cbc:EndpointID", V("EMAIL_ADDRESS", p.email), schemeID="EM")
    if p.enterprise:
        pid = x.add(party, "cac:PartyIdentification")
        x.add(pid, "cbc:ID", V("BE_ENTERPRISE_NUMBER", p.enterprise), schemeID="0208")
    elif ident:
        pid = x.add(party, "cac:PartyIdentification")
        x.add(pid, "cbc:ID", ident)
    pname = x.add(party, "cac:PartyName")
    x.add(pname, "cbc:Name", V("PERSON", p.name) if p.is_person else p.name)
    ubl_address(x, party, "cac:PostalAddress", p.address, style)
    if p.vat:
        tax = x.add(party, "cac:PartyTaxScheme")
        x.add(tax, "cbc:CompanyID", V("BE_ENTERPRISE_NUMBER", p.vat))
        x.add(x.add(tax, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = x.add(party, "cac:PartyLegalEntity")
    x.add(legal, "cbc:RegistrationName", V("PERSON", p.name) if p.is_person else p.name)
    if p.enterprise:
        x.add(legal, "cbc:CompanyID", V("BE_ENTERPRISE_NUMBER", fmt_vat(p.enterprise, "dotted")), schemeID="0208")
    contact = x.add(party, "cac:Contact")
    if p.is_person:
        x.add(contact, "cbc:Telephone", V("PHONE_NUMBER", p.phone))
        if endpoint != "EM":
            x.add(contact, "cbc:ElectronicMail", V("EMAIL_ADDRESS", p.email))
    else:
        x.add(contact, "cbc:Name", V("PERSON", p.contact.full))
        x.add(contact, "cbc:Telephone", V("PHONE_NUMBER", p.contact_phone))
        x.add(contact, "cbc:ElectronicMail", V("EMAIL_ADDRESS", p.contact_email))


def ubl_document(inv: Invoice, pdf: bytes | None) -> Xml:
    cn = inv.doc == "CreditNote"
    x = Xml(inv.doc, {None: UBL_NS[inv.doc], "cac": CAC, "cbc": CBC})
    r = x.root
    x.add(r, "cbc:CustomizationID", PEPPOL_CUSTOMIZATION)
    x.add(r, "cbc:ProfileID", PEPPOL_PROFILE)
    x.add(r, "cbc:ID", inv.number)
    x.add(r, "cbc:IssueDate", V("DATE", inv.issue.isoformat()))
    if not cn:
        x.add(r, "cbc:DueDate", V("DATE", inv.due.isoformat()))
    x.add(r, "cbc:CreditNoteTypeCode" if cn else "cbc:InvoiceTypeCode", "381" if cn else "380")
    for note in inv.notes:
        x.add(r, "cbc:Note", note.with_bic_words())
    x.add(r, "cbc:DocumentCurrencyCode", "EUR")
    if inv.buyer_ref:
        x.add(r, "cbc:BuyerReference", inv.buyer_ref)
    else:
        x.add(r, "cbc:BuyerReference", inv.order_ref.value if inv.order_ref else "n/a")
    if inv.order_ref:
        x.add(x.add(r, "cac:OrderReference"), "cbc:ID", inv.order_ref)
    if inv.billing_ref:
        ref = x.add(x.add(r, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        x.add(ref, "cbc:ID", inv.billing_ref)
    if pdf is not None:
        add = x.add(r, "cac:AdditionalDocumentReference")
        x.add(add, "cbc:ID", inv.number.value)
        x.add(add, "cbc:DocumentDescription", {"nl": "Factuur (PDF)", "fr": "Facture (PDF)"}.get(inv.lang, "Invoice"))
        att = x.add(add, "cac:Attachment")
        x.add(att, "cbc:EmbeddedDocumentBinaryObject", base64.b64encode(pdf).decode("ascii"),
              mimeCode="application/pdf", filename=inv.pdf_name)
    sup = x.add(r, "cac:AccountingSupplierParty")
    ubl_party(x, sup, inv.supplier, inv.supplier_endpoint, inv.addr_style)
    cus = x.add(r, "cac:AccountingCustomerParty")
    ubl_party(x, cus, inv.customer, inv.customer_endpoint, inv.addr_style, inv.customer_ident)
    if inv.delivery:
        d = x.add(r, "cac:Delivery")
        x.add(d, "cbc:ActualDeliveryDate", V("DATE", (inv.issue - dt.timedelta(days=3)).isoformat()))
        loc = x.add(d, "cac:DeliveryLocation")
        if inv.delivery_id:
            x.add(loc, "cbc:ID", inv.delivery_id, schemeID="0088")
        ubl_address(x, loc, "cac:Address", inv.delivery, inv.addr_style)
        if inv.delivery_name:
            x.add(x.add(x.add(d, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name", V("PERSON", inv.delivery_name))
    pm = x.add(r, "cac:PaymentMeans")
    if inv.mandate:
        x.add(pm, "cbc:PaymentMeansCode", "49", name="Direct debit")
        x.add(pm, "cbc:PaymentID", inv.ogm)
        mandate = x.add(pm, "cac:PaymentMandate")
        x.add(mandate, "cbc:ID", inv.mandate)
        x.add(x.add(mandate, "cac:PayerFinancialAccount"), "cbc:ID", V("IBAN_CODE", inv.customer.iban))
    else:
        payee = inv.customer if inv.payee == "customer" else inv.supplier
        x.add(pm, "cbc:PaymentMeansCode", "58" if inv.payee == "customer" else "30",
              name="SEPA credit transfer" if inv.payee == "customer" else "Credit transfer")
        if cn:
            x.add(pm, "cbc:PaymentDueDate", V("DATE", inv.due.isoformat()))
        x.add(pm, "cbc:PaymentID", inv.ogm)
        acct = x.add(pm, "cac:PayeeFinancialAccount")
        x.add(acct, "cbc:ID", V("IBAN_CODE", payee.iban))
        x.add(acct, "cbc:Name", V("PERSON", payee.name) if payee.is_person else payee.name)
        x.add(x.add(acct, "cac:FinancialInstitutionBranch"), "cbc:ID", V("BIC_CODE", payee.bic))
    terms = x.add(r, "cac:PaymentTerms")
    x.add(terms, "cbc:Note", {"nl": "Betaling binnen 30 dagen", "fr": "Paiement à 30 jours",
                              "de": "Zahlbar innerhalb von 30 Tagen", "en": "Payment within 30 days"}[inv.lang])
    tt = x.add(r, "cac:TaxTotal")
    x.add(tt, "cbc:TaxAmount", V("AMOUNT", amount(inv.tax)), currencyID="EUR")
    sub = x.add(tt, "cac:TaxSubtotal")
    x.add(sub, "cbc:TaxableAmount", amount(inv.net), currencyID="EUR")
    x.add(sub, "cbc:TaxAmount", amount(inv.tax), currencyID="EUR")
    cat = x.add(sub, "cac:TaxCategory")
    x.add(cat, "cbc:ID", "S")
    x.add(cat, "cbc:Percent", str(inv.vat_rate))
    x.add(x.add(cat, "cac:TaxScheme"), "cbc:ID", "VAT")
    tot = x.add(r, "cac:LegalMonetaryTotal")
    x.add(tot, "cbc:LineExtensionAmount", amount(inv.net), currencyID="EUR")
    x.add(tot, "cbc:TaxExclusiveAmount", amount(inv.net), currencyID="EUR")
    x.add(tot, "cbc:TaxInclusiveAmount", amount(inv.total), currencyID="EUR")
    x.add(tot, "cbc:PayableAmount", V("AMOUNT", amount(inv.total)), currencyID="EUR")
    for i, line in enumerate(inv.lines, 1):
        il = x.add(r, "cac:CreditNoteLine" if cn else "cac:InvoiceLine")
        x.add(il, "cbc:ID", str(i))
        x.add(il, "cbc:CreditedQuantity" if cn else "cbc:InvoicedQuantity", str(line.qty), unitCode="C62")
        x.add(il, "cbc:LineExtensionAmount", V("AMOUNT", amount(line.amount)), currencyID="EUR")
        item = x.add(il, "cac:Item")
        x.add(item, "cbc:Name", line.name)
        x.add(x.add(item, "cac:SellersItemIdentification"), "cbc:ID", line.sku)
        if line.gtin:
            x.add(x.add(item, "cac:StandardItemIdentification"), "cbc:ID", line.gtin, schemeID="0160")
        ctc = x.add(item, "cac:ClassifiedTaxCategory")
        x.add(ctc, "cbc:ID", "S")
        x.add(ctc, "cbc:Percent", str(inv.vat_rate))
        x.add(x.add(ctc, "cac:TaxScheme"), "cbc:ID", "VAT")
        x.add(x.add(il, "cac:Price"), "cbc:PriceAmount", f"{line.price:.4f}".rstrip("0").rstrip(".")
              if line.price.as_tuple().exponent < -2 else amount(line.price), currencyID="EUR")
    return x


# --- PDFs ------------------------------------------------------------------------------------------------

LABELS = {
    "fr": dict(invoice="FACTURE", credit="NOTE DE CRÉDIT", customer="Client", vat="TVA", number="Numéro",
               date="Date", due="Échéance", ref="Votre référence", desc="Description", qty="Qté",
               price="Prix unit.", amount="Montant", net="Total HTVA", total="Total TVAC",
               nn="N° de registre national", tel="Tél.", contact="Votre contact",
               pay="Merci de verser {total} sur le compte {iban} (BIC {bic}),",
               pay2="communication structurée {ogm}, au plus tard le {due}."),
    "nl": dict(invoice="FACTUUR", credit="CREDITNOTA", customer="Klant", vat="BTW", number="Nummer",
               date="Datum", due="Vervaldag", ref="Uw referentie", desc="Omschrijving", qty="Aantal",
               price="Eenheidsprijs", amount="Bedrag", net="Totaal excl. btw", total="Totaal incl. btw",
               nn="Rijksregisternummer", tel="Tel.", contact="Uw contactpersoon",
               pay="Gelieve {total} over te schrijven op rekening {iban} (BIC {bic}),",
               pay2="met gestructureerde mededeling {ogm}, uiterlijk op {due}."),
    "de": dict(invoice="RECHNUNG", credit="GUTSCHRIFT", customer="Kunde", vat="MwSt.", number="Nummer",
               date="Datum", due="Fällig am", ref="Ihre Referenz", desc="Bezeichnung", qty="Menge",
               price="Einzelpreis", amount="Betrag", net="Summe netto", total="Summe brutto",
               nn="Nationalregisternummer", tel="Tel.", contact="Ihr Ansprechpartner",
               pay="Bitte überweisen Sie {total} auf das Konto {iban} (BIC {bic}),",
               pay2="strukturierte Mitteilung {ogm}, bis spätestens {due}."),
    "en": dict(invoice="INVOICE", credit="CREDIT NOTE", customer="Customer", vat="VAT", number="Number",
               date="Date", due="Due date", ref="Your reference", desc="Description", qty="Qty",
               price="Unit price", amount="Amount", net="Total excl. VAT", total="Total incl. VAT",
               nn="National number", tel="Tel.", contact="Your contact",
               pay="Please pay {total} into account {iban} (BIC {bic}),",
               pay2="structured reference {ogm}, by {due} at the latest."),
}
DATE_STYLE = {"fr": "slash", "nl": "slash", "de": "dot", "en": "long"}


def new_pdf(pdfa: bool = False):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4", enforce_compliance="PDF/A-3B" if pdfa else None)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
        path = FONT_DIR / name
        if not path.exists():
            raise SystemExit(f"missing font {path}: apt-get install fonts-dejavu-core")
        pdf.add_font("DejaVuSans", style, str(path))
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_creator("piiscan sample_docs/einvoices.py")
    pdf.set_producer("fpdf2")
    return pdf


def invoice_page(inv: Invoice) -> tuple[list[tuple[float, float, Text, str, float]], list[V]]:
    """The visible invoice: (x, y, text, weight, size) runs in points, one line each, and the annotated
    values printed over two lines (addresses)."""
    L, lang = LABELS[inv.lang], inv.lang
    s, c = inv.supplier, inv.customer
    runs: list[tuple[float, float, Text, str, float]] = []
    multi: list[V] = []
    y = 64.0

    def line(x: float, text, weight: str = "", size: float = 9.5, step: float = 13.0) -> None:
        nonlocal y
        runs.append((x, y, text if isinstance(text, Text) else Text(text), weight, size))
        y += step

    def block(x: float, text: Text, weight: str = "", size: float = 9.5) -> None:
        """A Text over several lines (an address printed on two lines stays one annotated value)."""
        offset = 0
        multi.extend(V(label, text.text[a:b]) for a, b, label in text.spans if "\n" in text.text[a:b])
        for piece in text.text.split("\n"):
            sub = Text(piece)
            sub.spans = [(max(a, offset) - offset, min(b, offset + len(piece)) - offset, label)
                         for a, b, label in text.spans if a >= offset and b <= offset + len(piece)]
            line(x, sub, weight, size)
            offset += len(piece) + 1

    title = L["credit"] if inv.doc == "CreditNote" else L["invoice"]
    runs.append((400.0, y, Text(title), "B", 15.0))
    line(56, s.name, "B", 12, 16)
    a = s.address
    block(56, Text(V("ADDRESS", f"{a.street} {a.number}{a.box}\n{a.postcode} {a.town}")))
    line(56, fill(L["vat"] + " {vat}", vat=V("BE_ENTERPRISE_NUMBER", fmt_vat(s.enterprise, "be_dotted"))))
    line(56, fill(L["tel"] + " {phone} – {email}", phone=V("PHONE_NUMBER", s.phone),
                  email=V("EMAIL_ADDRESS", s.email)))
    y += 14
    line(56, L["customer"], "B")
    line(56, Text(V("PERSON", c.name)) if c.is_person else Text(c.name))
    b = c.address
    block(56, Text(V("ADDRESS", f"{b.street} {b.number}{b.box}\n{b.postcode} {b.town}")))
    if c.is_person and inv.lang in ("fr", "nl") and inv.doc == "Invoice":
        line(56, fill(L["nn"] + ": {nn}", nn=V("BE_NATIONAL_NUMBER", fmt_nn(c.person.nn, "card"))))
    elif not c.is_person:
        line(56, fill(L["vat"] + " {vat}", vat=V("BE_ENTERPRISE_NUMBER", fmt_vat(c.enterprise, "be_dotted_tight"))))
    y += 14
    line(56, fill(L["number"] + ": {no}", no=inv.number))
    line(56, fill(L["date"] + ": {d}", d=V("DATE", fmt_date(inv.issue, lang, DATE_STYLE[lang]))))
    line(56, fill(L["due"] + ": {d}", d=V("DATE", fmt_date(inv.due, lang, DATE_STYLE[lang]))))
    if inv.order_ref:
        line(56, fill(L["ref"] + ": {ref}", ref=inv.order_ref))
    y += 14
    cols = (56.0, 330.0, 400.0, 480.0)
    for x, label in zip(cols, (L["desc"], L["qty"], L["price"], L["amount"])):
        runs.append((x, y, Text(label), "B", 9.0))
    y += 14
    style = {"fr": "euro", "nl": "euro_before", "de": "eur", "en": "eur_before"}[lang]
    for item in inv.lines:
        runs.append((56.0, y, Text(item.name), "", 9.0))
        runs.append((330.0, y, Text(str(item.qty)), "", 9.0))
        runs.append((400.0, y, Text(fmt_amount(item.price, lang, "num") if item.price.as_tuple().exponent >= -2
                                    else f"{item.price}".replace(".", "," if lang != "en" else ".")), "", 9.0))
        runs.append((480.0, y, Text(V("AMOUNT", fmt_amount(item.amount, lang, style))), "", 9.0))
        y += 13
    y += 8
    for label, value in ((L["net"], inv.net), (f"{L['vat']} {inv.vat_rate} %", inv.tax), (L["total"], inv.total)):
        runs.append((330.0, y, Text(label), "B" if value == inv.total else "", 9.0))
        runs.append((480.0, y, Text(V("AMOUNT", fmt_amount(value, lang, style))), "B" if value == inv.total else "", 9.0))
        y += 13
    y += 16
    payee = c if inv.payee == "customer" else s
    if inv.doc == "CreditNote":
        line(56, fill({"fr": "Remboursement sur le compte {iban} (BIC {bic}) de {name}.",
                       "en": "Refund to account {iban} (BIC {bic}) of {name}.",
                       "nl": "Terugbetaling op rekening {iban} (BIC {bic}) van {name}.",
                       "de": "Erstattung auf das Konto {iban} (BIC {bic}) von {name}."}[lang],
                      iban=V("IBAN_CODE", fmt_iban(payee.iban)), bic=V("BIC_CODE", payee.bic),
                      name=V("PERSON", payee.name) if payee.is_person else payee.name))
    elif inv.mandate:
        line(56, fill({"nl": "Het bedrag wordt gedomicilieerd van rekening {iban} (BIC {bic}).",
                       "fr": "Le montant sera domicilié sur le compte {iban} (BIC {bic})."}.get(lang, "{iban} {bic}"),
                      iban=V("IBAN_CODE", fmt_iban(c.iban)), bic=V("BIC_CODE", c.bic)))
    else:
        line(56, fill(L["pay"], total=V("AMOUNT", fmt_amount(inv.total, lang, style)),
                      iban=V("IBAN_CODE", fmt_iban(payee.iban)), bic=V("BIC_CODE", payee.bic)))
        line(56, fill(L["pay2"], ogm=inv.ogm, due=V("DATE", fmt_date(inv.due, lang, DATE_STYLE[lang]))))
    y += 10
    if s.contact:
        line(56, fill(L["contact"] + ": {name}, {phone}, {email}", name=V("PERSON", s.contact.full),
                      phone=V("PHONE_NUMBER", s.contact.mobile.fmt("nat")), email=V("EMAIL_ADDRESS", s.contact_email)))
    for note in inv.notes:
        line(56, note, "", 8.5, 12)
    return runs, multi


def draw(pdf, runs) -> list[V]:
    pdf.add_page()
    values = []
    for x, y, text, weight, size in runs:
        pdf.set_font("DejaVuSans", weight, size)
        width = pdf.get_string_width(text.text)
        if x + width > pdf.w - 36:
            raise ValueError(f"line too long for the page ({width:.0f} pt): {text.text[:40]}…")
        pdf.text(x, y, text.text)
        values += text.with_bic_words().values()
    return values


def invoice_pdf(inv: Invoice, *, pdfa: bool = False, attachment: bytes | None = None) -> tuple[bytes, list[V]]:
    pdf = new_pdf(pdfa)
    L = LABELS[inv.lang]
    pdf.set_title(f"{L['credit'] if inv.doc == 'CreditNote' else L['invoice'].capitalize()} {inv.number.value}")
    pdf.set_author(inv.supplier.name)
    runs, multi = invoice_page(inv)
    values = draw(pdf, runs) + multi
    values.append(inv.number)  # the title (metadata)
    if attachment is not None:
        pdf.set_xmp_metadata(facturx_xmp(inv))
        pdf.embed_file(bytes=attachment, basename="factur-x.xml", modification_date=FIXED_TIME,
                       creation_date=FIXED_TIME, mime_type="text/xml", associated_file_relationship="Data",
                       desc="Factur-X invoice")
    return bytes(pdf.output()), values


def facturx_xmp(inv: Invoice) -> str:
    created = FIXED_TIME.isoformat(timespec="seconds")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="piiscan sample_docs/einvoices.py"
        xmp:CreateDate="{created}" xmp:ModifyDate="{created}" xmp:MetadataDate="{created}"/>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer="fpdf2"/>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Facture {inv.number.value}</rdf:li></rdf:Alt></dc:title>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
        <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
        <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
        <pdfaSchema:prefix>fx</pdfaSchema:prefix>
        <pdfaSchema:property><rdf:Seq>
          <rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>name of the embedded XML invoice file</pdfaProperty:description></rdf:li>
          <rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>INVOICE</pdfaProperty:description></rdf:li>
          <rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the Factur-X XML schema</pdfaProperty:description></rdf:li>
          <rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded Factur-X data</pdfaProperty:description></rdf:li>
        </rdf:Seq></pdfaSchema:property>
      </rdf:li></rdf:Bag></pdfaExtension:schemas>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>"""


# --- Factur-X (CII) ----------------------------------------------------------------------------------------

CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def make_facturx_invoice() -> Invoice:
    s = company_party("Menuiserie Lambermont SRL", "fr", "menuiserie-lambermont.be", region="brussels",
                      mailbox="facturation", phone_style="nat")
    c = company_party("Cabinet dentaire Flagey SRL", "fr", "dentiste-flagey.be", region="brussels",
                      mailbox="secretariat", phone_style="intl")
    issue, due = doc_dates()
    inv = Invoice(
        "facturx_invoice_01_fr.pdf", "Invoice", "fr", V("INVOICE_NUMBER", f"FAC-{issue.year % 100}-{F.digits(4)}"),
        issue, due, s, c,
        lines_of([("Comptoir d'accueil en chêne sur mesure", 1, "2480.00"), ("Pose et finitions (h)", 14, "48.00"),
                  ("Quincaillerie inox", 6, "17.40")], "ML"),
        21, ogm(), order_ref=drawn("ORDER_NUMBER", lambda: f"BC-{F.digits(4)}-{F.digits(3)}"))
    inv.notes = [fill("Livraison convenue avec {name} ({phone}) ; accès par l'arrière du bâtiment.",
                      name=V("PERSON", c.contact.full), phone=V("PHONE_NUMBER", c.contact.mobile.fmt("nat_slash")))]
    return inv


def cii_date(x: Xml, parent, qname: str, d: dt.date, decoy: bool = True):
    el = x.add(parent, qname)
    x.add(el, "udt:DateTimeString", V("DATE", d.strftime("%Y%m%d")) if decoy else d.strftime("%Y%m%d"), format="102")


def cii_party(x: Xml, parent, qname: str, p: Party, uri: str) -> None:
    party = x.add(parent, qname)
    x.add(party, "ram:Name", p.name)
    x.add(x.add(party, "ram:SpecifiedLegalOrganization"), "ram:ID",
          V("BE_ENTERPRISE_NUMBER", p.enterprise), schemeID="0208")
    contact = x.add(party, "ram:DefinedTradeContact")
    x.add(contact, "ram:PersonName", V("PERSON", p.contact.full))
    x.add(x.add(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber", V("PHONE_NUMBER", p.contact_phone))
    x.add(x.add(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID", V("EMAIL_ADDRESS", p.contact_email))
    a = p.address
    addr = x.add(party, "ram:PostalTradeAddress")
    street = f"{a.street} {a.number}{a.box}"
    x.add(addr, "ram:PostcodeCode", a.postcode)
    x.add(addr, "ram:LineOne", street)
    x.add(addr, "ram:CityName", a.town)
    x.add(addr, "ram:CountryID", "BE")
    x.mark(addr, V("ADDRESS", f"{street}, {a.postcode} {a.town}"), require=[street, a.postcode],
           pieces=[street, a.postcode, a.town])
    if uri == "0208":
        x.add(x.add(party, "ram:URIUniversalCommunication"), "ram:URIID", V("BE_ENTERPRISE_NUMBER", p.enterprise),
              schemeID="0208")
    else:
        x.add(x.add(party, "ram:URIUniversalCommunication"), "ram:URIID", V("EMAIL_ADDRESS", p.email), schemeID="EM")
    x.add(x.add(party, "ram:SpecifiedTaxRegistration"), "ram:ID", V("BE_ENTERPRISE_NUMBER", p.vat), schemeID="VA")


def cii_document(inv: Invoice) -> Xml:
    x = Xml("rsm:CrossIndustryInvoice", dict(CII_NS))
    r = x.root
    ctx = x.add(r, "rsm:ExchangedDocumentContext")
    x.add(x.add(ctx, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", "urn:cen.eu:en16931:2017")
    doc = x.add(r, "rsm:ExchangedDocument")
    x.add(doc, "ram:ID", inv.number)
    x.add(doc, "ram:TypeCode", "380")
    cii_date(x, doc, "ram:IssueDateTime", inv.issue)
    for note in inv.notes:
        x.add(x.add(doc, "ram:IncludedNote"), "ram:Content", note.with_bic_words())
    tx = x.add(r, "rsm:SupplyChainTradeTransaction")
    for i, line in enumerate(inv.lines, 1):
        li = x.add(tx, "ram:IncludedSupplyChainTradeLineItem")
        x.add(x.add(li, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(i))
        prod = x.add(li, "ram:SpecifiedTradeProduct")
        x.add(prod, "ram:SellerAssignedID", line.sku)
        x.add(prod, "ram:Name", line.name)
        agr = x.add(li, "ram:SpecifiedLineTradeAgreement")
        x.add(x.add(agr, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", amount(line.price))
        x.add(x.add(li, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", str(line.qty), unitCode="C62")
        st = x.add(li, "ram:SpecifiedLineTradeSettlement")
        tax = x.add(st, "ram:ApplicableTradeTax")
        x.add(tax, "ram:TypeCode", "VAT")
        x.add(tax, "ram:CategoryCode", "S")
        x.add(tax, "ram:RateApplicablePercent", str(inv.vat_rate))
        x.add(x.add(st, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
              V("AMOUNT", amount(line.amount)))
    agr = x.add(tx, "ram:ApplicableHeaderTradeAgreement")
    x.add(agr, "ram:BuyerReference", inv.order_ref)
    cii_party(x, agr, "ram:SellerTradeParty", inv.supplier, "0208")
    cii_party(x, agr, "ram:BuyerTradeParty", inv.customer, "EM")
    x.add(x.add(agr, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", inv.order_ref)
    dl = x.add(tx, "ram:ApplicableHeaderTradeDelivery")
    cii_date(x, x.add(dl, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime",
             inv.issue - dt.timedelta(days=2))
    st = x.add(tx, "ram:ApplicableHeaderTradeSettlement")
    x.add(st, "ram:PaymentReference", inv.ogm)
    x.add(st, "ram:InvoiceCurrencyCode", "EUR")
    pm = x.add(st, "ram:SpecifiedTradeSettlementPaymentMeans")
    x.add(pm, "ram:TypeCode", "58")
    acct = x.add(pm, "ram:PayeePartyCreditorFinancialAccount")
    x.add(acct, "ram:IBANID", V("IBAN_CODE", inv.supplier.iban))
    x.add(acct, "ram:AccountName", inv.supplier.name)
    x.add(x.add(pm, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", V("BIC_CODE", inv.supplier.bic))
    tax = x.add(st, "ram:ApplicableTradeTax")
    x.add(tax, "ram:CalculatedAmount", V("AMOUNT", amount(inv.tax)))
    x.add(tax, "ram:TypeCode", "VAT")
    x.add(tax, "ram:BasisAmount", amount(inv.net))
    x.add(tax, "ram:CategoryCode", "S")
    x.add(tax, "ram:RateApplicablePercent", str(inv.vat_rate))
    terms = x.add(st, "ram:SpecifiedTradePaymentTerms")
    cii_date(x, terms, "ram:DueDateDateTime", inv.due)
    tot = x.add(st, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    x.add(tot, "ram:LineTotalAmount", amount(inv.net))
    x.add(tot, "ram:TaxBasisTotalAmount", amount(inv.net))
    x.add(tot, "ram:TaxTotalAmount", amount(inv.tax), currencyID="EUR")
    x.add(tot, "ram:GrandTotalAmount", amount(inv.total))
    x.add(tot, "ram:DuePayableAmount", V("AMOUNT", amount(inv.total)))
    return x


# --- spreadsheets ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Formula:
    expr: str
    cached: float


def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def fixed_zip(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, (name, data) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if (stored_first and i == 0) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_bytes(sheets: list[tuple[str, list[list], bool]]) -> bytes:
    """A workbook as Excel writes one: shared strings, a bold header style, formulas with their cached values.
    ``sheets``: (name, rows, has_header)."""
    strings: list[str] = []
    index: dict[str, int] = {}

    def sst(s: str) -> int:
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    def esc(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    parts = []
    for name, rows, header in sheets:
        width = max(len(r) for r in rows)
        xml = [f'<worksheet xmlns="{SML}" xmlns:r="{REL}">',
               f'<dimension ref="A1:{col_letter(width - 1)}{len(rows)}"/>',
               '<sheetViews><sheetView workbookViewId="0"/></sheetViews>',
               '<sheetFormatPr defaultRowHeight="15"/><sheetData>']
        for r, row in enumerate(rows, 1):
            xml.append(f'<row r="{r}">')
            for c, cell in enumerate(row):
                ref = f"{col_letter(c)}{r}"
                if cell is None or cell == "":
                    continue
                if isinstance(cell, Formula):
                    xml.append(f'<c r="{ref}" s="2"><f>{esc(cell.expr)}</f><v>{cell.cached!r}</v></c>')
                elif isinstance(cell, (int, float)):
                    s = ' s="2"' if isinstance(cell, float) else ""
                    xml.append(f'<c r="{ref}"{s}><v>{cell!r}</v></c>')
                else:
                    s = ' s="1"' if header and r == 1 else ""
                    xml.append(f'<c r="{ref}"{s} t="s"><v>{sst(cell)}</v></c>')
            xml.append("</row>")
        xml.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                   "</worksheet>")
        parts.append("".join(xml))
    n = len(sheets)
    content_types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                               for i in range(1, n + 1))
                     + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                     '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                     '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                     '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                     "</Types>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>")
    workbook = (f'<workbook xmlns="{SML}" xmlns:r="{REL}"><bookViews><workbookView/></bookViews><sheets>'
                + "".join(f'<sheet name="{esc(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _, _) in enumerate(sheets, 1))
                + '</sheets><calcPr calcId="191029"/></workbook>')
    wb_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, n + 1))
               + f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>'
               f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
               "</Relationships>")
    styles = (f'<styleSheet xmlns="{SML}">'
              '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
              '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
              '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
              '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
              '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    shared = (f'<sst xmlns="{SML}" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f'<si><t xml:space="preserve">{esc(s)}</t></si>' if s != s.strip() else f"<si><t>{esc(s)}</t></si>"
                        for s in strings) + "</sst>")
    stamp = FIXED_TIME.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title>Openstaande vorderingen</dc:title><dc:creator>Invoice Managers – export</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>piiscan sample_docs/einvoices.py</Application></Properties>")
    entries = [("[Content_Types].xml", content_types), ("_rels/.rels", rels), ("docProps/core.xml", core),
               ("docProps/app.xml", app), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", wb_rels),
               ("xl/styles.xml", styles), ("xl/sharedStrings.xml", shared)]
    entries += [(f"xl/worksheets/sheet{i}.xml", part) for i, part in enumerate(parts, 1)]
    return fixed_zip([(name, XML_DECL + text.encode("utf-8")) for name, text in entries])


ODS_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


@dataclass(frozen=True)
class Money:
    value: Decimal
    display: str


def ods_bytes(sheet: str, rows: list[list]) -> bytes:
    """An OpenDocument spreadsheet written with lxml: mimetype first and stored, empty cells as
    ``number-columns-repeated`` runs (as LibreOffice writes them), multi-line cells as several paragraphs."""
    def q(name: str) -> str:
        prefix, local = name.split(":")
        return "{%s}%s" % (ODS_NS[prefix], local)

    content_ns = {k: ODS_NS[k] for k in ("office", "table", "text", "style", "fo", "number")}
    doc = etree.Element(q("office:document-content"), nsmap=content_ns)
    doc.set(q("office:version"), "1.3")
    styles = etree.SubElement(doc, q("office:automatic-styles"))
    cur = etree.SubElement(styles, q("number:currency-style"))
    cur.set(q("style:name"), "N1")
    num = etree.SubElement(cur, q("number:number"))
    num.set(q("number:decimal-places"), "2")
    num.set(q("number:min-integer-digits"), "1")
    num.set(q("number:grouping"), "true")
    etree.SubElement(cur, q("number:text")).text = " "
    etree.SubElement(cur, q("number:currency-symbol")).text = "€"
    ce = etree.SubElement(styles, q("style:style"))
    ce.set(q("style:name"), "ce1")
    ce.set(q("style:family"), "table-cell")
    ce.set(q("style:data-style-name"), "N1")
    body = etree.SubElement(etree.SubElement(doc, q("office:body")), q("office:spreadsheet"))
    table = etree.SubElement(body, q("table:table"))
    table.set(q("table:name"), sheet)
    col = etree.SubElement(table, q("table:table-column"))
    col.set(q("table:number-columns-repeated"), str(max(len(r) for r in rows)))
    for row in rows:
        tr = etree.SubElement(table, q("table:table-row"))
        empty = 0

        def flush():
            nonlocal empty
            if empty:
                cell = etree.SubElement(tr, q("table:table-cell"))
                if empty > 1:
                    cell.set(q("table:number-columns-repeated"), str(empty))
                empty = 0

        for cell in row:
            if cell is None or cell == "":
                empty += 1
                continue
            flush()
            tc = etree.SubElement(tr, q("table:table-cell"))
            if isinstance(cell, Money):
                tc.set(q("table:style-name"), "ce1")
                tc.set(q("office:value-type"), "currency")
                tc.set(q("office:currency"), "EUR")
                tc.set(q("office:value"), str(cell.value))
                etree.SubElement(tc, q("text:p")).text = cell.display
            else:
                tc.set(q("office:value-type"), "string")
                for para in str(cell).split("\n"):
                    etree.SubElement(tc, q("text:p")).text = para
        flush()
    content = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
    meta_ns = {k: ODS_NS[k] for k in ("office", "meta", "dc")}
    meta = etree.Element(q("office:document-meta"), nsmap=meta_ns)
    meta.set(q("office:version"), "1.3")
    m = etree.SubElement(meta, q("office:meta"))
    etree.SubElement(m, q("meta:generator")).text = "piiscan sample_docs/einvoices.py"
    etree.SubElement(m, q("dc:title")).text = "Débiteurs – relances"
    etree.SubElement(m, q("meta:creation-date")).text = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S")
    etree.SubElement(m, q("dc:date")).text = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%S")
    st = etree.Element(q("office:document-styles"), nsmap={k: ODS_NS[k] for k in ("office", "style")})
    st.set(q("office:version"), "1.3")
    etree.SubElement(st, q("office:styles"))
    man = etree.Element(q("manifest:manifest"), nsmap={"manifest": ODS_NS["manifest"]})
    man.set(q("manifest:version"), "1.3")
    for path, media in (("/", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "text/xml"),
                        ("styles.xml", "text/xml"), ("meta.xml", "text/xml")):
        e = etree.SubElement(man, q("manifest:file-entry"))
        e.set(q("manifest:full-path"), path)
        if path == "/":
            e.set(q("manifest:version"), "1.3")
        e.set(q("manifest:media-type"), media)
    dump = lambda el: etree.tostring(el, xml_declaration=True, encoding="UTF-8")  # noqa: E731
    return fixed_zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                      ("content.xml", content), ("styles.xml", dump(st)), ("meta.xml", dump(meta)),
                      ("META-INF/manifest.xml", dump(man))], stored_first=True)


# --- debtor lists ------------------------------------------------------------------------------------------

PHONE_STYLES = ("nat", "intl", "nat_slash", "intl_compact", "nat_dots", "intl_00", "nat_3", "intl_0")
NN_CELL_STYLES = ("card", "compact", "card", "dashed", "spaced")


def debt() -> Decimal:
    return money(40, 2400)


def make_xlsx() -> bytes:
    file, sheet1, sheet2 = "debiteuren_2025-05.xlsx", "Debiteuren", "Blad2"
    header = ["Dossier", "Naam", "Rijksregisternummer", "Adres", "Postcode", "Gemeente", "IBAN", "E-mail",
              "Telefoon", "Openstaand bedrag", "Met intresten"]
    rows: list[list] = [header]
    for i in range(8):
        p = F.person("nl", region="brussels" if i == 5 else "flanders")
        r = len(rows) + 1
        a = p.address
        street = f"{a.street} {a.number}{a.box}"
        due = float(debt())
        with_interest = float(q2(Decimal(str(due)) * Decimal("1.08")))
        nn_text = fmt_nn(p.nn, NN_CELL_STYLES[i % len(NN_CELL_STYLES)])
        phone = (p.mobile if i % 3 else p.landline).fmt(PHONE_STYLES[i % len(PHONE_STYLES)])
        iban = fmt_iban(p.iban) if i % 4 else p.iban
        file_no = drawn("FILE_NUMBER", lambda: f"IM-25-{F.digits(5)}")
        rows.append([file_no.value, p.full, nn_text, street, int(a.postcode), a.town, iban, p.email, phone, due,
                     Formula(f"ROUND(J{r}*1.08,2)", with_interest)])
        at = lambda c: f"{sheet1}!{c}{r}"  # noqa: E731
        TRUTH.add(file, None, file_no, at("A"))
        TRUTH.add(file, None, V("PERSON", p.full), at("B"))
        TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", nn_text), at("C"))
        TRUTH.add(file, None, V("ADDRESS", f"{street}, {a.postcode} {a.town}"), at("D"), require=[street],
                  pieces=[street, a.postcode, a.town])
        TRUTH.add(file, None, V("IBAN_CODE", iban), at("G"))
        TRUTH.add(file, None, V("EMAIL_ADDRESS", p.email), at("H"))
        TRUTH.add(file, None, V("PHONE_NUMBER", phone), at("I"))
        TRUTH.add(file, None, V("AMOUNT", repr(due)), at("J"))
        TRUTH.add(file, None, V("AMOUNT", repr(with_interest)), at("K"))
    # The second sheet: someone's scratch copy, no header row, address in one cell, numbers as numbers.
    rows2: list[list] = []
    for i in range(6):
        p = F.person(F.pick(("nl", "nl", "fr")), born=(1950, 1999))
        r = len(rows2) + 1
        a = p.address
        address = a.line()
        phone = p.mobile.fmt(("nat_compact", "intl", "nat", "nat_slash", "intl_compact", "nat")[i])
        due = float(debt())
        rows2.append([p.full, int(p.nn), address, p.iban, p.email, phone, due])
        at = lambda c: f"{sheet2}!{c}{r}"  # noqa: E731
        TRUTH.add(file, None, V("PERSON", p.full), at("A"))
        TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", p.nn), at("B"))
        TRUTH.add(file, None, V("ADDRESS", address), at("C"), require=[f"{a.street} {a.number}{a.box}", a.postcode])
        TRUTH.add(file, None, V("IBAN_CODE", p.iban), at("D"))
        TRUTH.add(file, None, V("EMAIL_ADDRESS", p.email), at("E"))
        TRUTH.add(file, None, V("PHONE_NUMBER", phone), at("F"))
        TRUTH.add(file, None, V("AMOUNT", repr(due)), at("G"))
    return xlsx_bytes([(sheet1, rows, True), (sheet2, rows2, False)])


def make_ods() -> bytes:
    file, sheet = "debiteurs_wallonie.ods", "Débiteurs"
    rows: list[list] = [["Nom", "Numéro national", "Adresse", "IBAN", "Courriel", "Téléphone", "Montant", "Référence"]]
    for i in range(8):
        kind = "bis40" if i == 6 else "nn"
        p = F.person("fr", region="brussels" if i in (2, 5) else "wallonia", nn_kind=kind)
        r = len(rows) + 1
        a = p.address
        address = a.lines() if i == 3 else a.line()
        nn_text = fmt_nn(p.nn, ("card", "card", "compact", "spaced", "card", "dashed", "card", "compact")[i])
        iban = fmt_iban(p.iban) if i % 3 else p.iban
        phone = p.mobile.fmt(("nat", "intl", "nat_slash", "nat_dots", "intl_00", "nat", "intl", "nat_3")[i])
        email = None if i == 4 else p.email
        phone_cell = None if i == 4 else phone
        due = q2(debt())
        display = fmt_amount(due, "fr", "fr_space")
        ref = drawn("FILE_NUMBER", lambda: f"2025/IM/{F.digits(5)}")
        rows.append([p.full, nn_text, address, iban, email, phone_cell, Money(due, display), ref.value])
        at = lambda c: f"{sheet}!{c}{r}"  # noqa: E731
        TRUTH.add(file, None, V("PERSON", p.full), at("A"))
        TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", nn_text), at("B"))
        street = f"{a.street} {a.number}{a.box}"
        # one cell; the two-line one is two paragraphs, which a reader joins with a line break
        TRUTH.add(file, None, V("ADDRESS", address), at("C"), require=[street, a.postcode])
        TRUTH.add(file, None, V("IBAN_CODE", iban), at("D"))
        if email:
            TRUTH.add(file, None, V("EMAIL_ADDRESS", email), at("E"))
            TRUTH.add(file, None, V("PHONE_NUMBER", phone), at("F"))
        TRUTH.add(file, None, V("AMOUNT", display), at("G"))
        TRUTH.add(file, None, ref, at("H"))
    return ods_bytes(sheet, rows)


def make_json() -> bytes:
    file = "export_debtors.json"
    creditor = company_party("Greenfield Fibre SRL", "en", "greenfield-fibre.be", region="brussels",
                             mailbox="collections")
    export = {
        "format": "debtor-export/2",
        "created": FIXED_TIME.isoformat(),
        "creditor": {"name": creditor.name, "enterprise_number": fmt_vat(creditor.enterprise, "be_dotted"),
                     "email": creditor.email, "phone": creditor.phone},
        "record_count": 6,
    }
    TRUTH.add(file, None, V("BE_ENTERPRISE_NUMBER", export["creditor"]["enterprise_number"]),
              "$.export.creditor.enterprise_number")
    TRUTH.add(file, None, V("EMAIL_ADDRESS", creditor.email), "$.export.creditor.email")
    TRUTH.add(file, None, V("PHONE_NUMBER", creditor.phone), "$.export.creditor.phone")
    TRUTH.add(file, None, V("DATE", export["created"]), "$.export.created")
    debtors = []
    for i in range(6):
        lang = ("en", "fr", "nl", "en", "fr", "nl")[i]
        p = F.person(lang, born=(1950, 2001))
        at = f"$.debtors[{i}]"
        a = p.address
        street = f"{a.street} {a.number}{a.box}"
        customer = drawn("CUSTOMER_NUMBER", lambda: f"C-{F.digits(6)}")
        d: dict = {"id": customer.value, "name": p.full, "national_number": fmt_nn(p.nn, ("card", "compact")[i % 2]),
                   "birth_date": p.birth.isoformat(),
                   "address": {"street": street, "postal_code": a.postcode, "city": a.town, "country": "BE"},
                   "iban": fmt_iban(p.iban) if i % 2 else p.iban, "bic": p.bic,
                   "contact": {"email": p.email, "phone": p.mobile.fmt(("intl", "nat", "intl_compact")[i % 3])},
                   "invoices": []}
        TRUTH.add(file, None, customer, f"{at}.id")
        TRUTH.add(file, None, V("PERSON", p.full), f"{at}.name")
        TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", d["national_number"]), f"{at}.national_number")
        TRUTH.add(file, None, V("DATE_OF_BIRTH", d["birth_date"]), f"{at}.birth_date")
        TRUTH.add(file, None, V("ADDRESS", f"{street}, {a.postcode} {a.town}"), f"{at}.address", require=[street],
                  pieces=[street, a.postcode, a.town])
        TRUTH.add(file, None, V("IBAN_CODE", d["iban"]), f"{at}.iban")
        TRUTH.add(file, None, V("BIC_CODE", p.bic), f"{at}.bic")
        TRUTH.add(file, None, V("EMAIL_ADDRESS", p.email), f"{at}.contact.email")
        TRUTH.add(file, None, V("PHONE_NUMBER", d["contact"]["phone"]), f"{at}.contact.phone")
        if i in (0, 3):  # a contract number shaped like an enterprise number, failing its check
            d["contract_number"] = fmt_vat(F.bad_enterprise_number(), "dotted")
            TRUTH.add(file, None, V("BAD_CHECKSUM", d["contract_number"]), f"{at}.contract_number")
        if i in (1, 4):
            partner = F.relative(p, "F" if p.sex == "M" else "M", (1950, 1999))
            d["co_debtor"] = {"name": partner.full, "national_number": fmt_nn(partner.nn, "card"),
                              "relation": "spouse"}
            TRUTH.add(file, None, V("PERSON", partner.full), f"{at}.co_debtor.name")
            TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", d["co_debtor"]["national_number"]),
                      f"{at}.co_debtor.national_number")
        if i == 2:
            note = fill("Called back from {phone} on 14/03; asks to be contacted at {email} only.",
                        phone=V("PHONE_NUMBER", p.landline.fmt("nat")), email=V("EMAIL_ADDRESS", p.email))
            d["notes"] = note.text
            for v in note.values():
                TRUTH.add(file, None, v, f"{at}.notes")
        for j in range(1 + i % 3):
            issue = F.doc_date()
            number = drawn("INVOICE_NUMBER", lambda: f"INV-{issue.year % 100}-{F.digits(5)}")
            amount_due = float(debt())
            ref = ogm()
            d["invoices"].append({"number": number.value, "issue_date": issue.isoformat(),
                                  "due_date": (issue + dt.timedelta(days=30)).isoformat(), "amount": amount_due,
                                  "currency": "EUR", "structured_reference": ref.value, "status": "overdue"})
            TRUTH.add(file, None, number, f"{at}.invoices[{j}].number")
            TRUTH.add(file, None, V("DATE", issue.isoformat()), f"{at}.invoices[{j}].issue_date")
            TRUTH.add(file, None, V("AMOUNT", repr(amount_due)), f"{at}.invoices[{j}].amount")
            TRUTH.add(file, None, ref, f"{at}.invoices[{j}].structured_reference")
        debtors.append(d)
    return (json.dumps({"export": export, "debtors": debtors}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def make_jsonl() -> bytes:
    file = "export_schuldner.jsonl"
    lines = []
    for i in range(8):
        p = F.person(F.pick(("de", "de", "de", "fr")) if i != 5 else "de", born=(1950, 2001),
                     iban_country="DE" if i == 3 else "BE")
        n = i + 1
        a = p.address
        address = a.line()
        ref = drawn("FILE_NUMBER", lambda: f"IM/2025/{F.digits(4)}")
        phone = (p.mobile if i % 2 else p.landline).fmt(("intl", "nat_slash", "intl_00", "nat", "intl_0")[i % 5])
        due = float(debt())
        row = {"id": ref.value, "schuldner": p.full, "geburtsdatum": fmt_date(p.birth, "de", "dot"),
               "national_number": fmt_nn(p.nn, "card" if i % 3 else "compact"), "anschrift": address,
               "iban": fmt_iban(p.iban), "bic": p.bic, "email": p.email, "telefon": phone,
               "forderung": due, "waehrung": "EUR", "status": "offen" if i % 4 else "Ratenplan"}
        at = f"line {n} $"
        TRUTH.add(file, None, ref, f"{at}.id")
        TRUTH.add(file, None, V("PERSON", p.full), f"{at}.schuldner")
        TRUTH.add(file, None, V("DATE_OF_BIRTH", row["geburtsdatum"]), f"{at}.geburtsdatum")
        TRUTH.add(file, None, V("BE_NATIONAL_NUMBER", row["national_number"]), f"{at}.national_number")
        TRUTH.add(file, None, V("ADDRESS", address), f"{at}.anschrift",
                  require=[f"{a.street} {a.number}{a.box}", a.postcode])
        TRUTH.add(file, None, V("IBAN_CODE", row["iban"]), f"{at}.iban")
        TRUTH.add(file, None, V("BIC_CODE", p.bic), f"{at}.bic")
        TRUTH.add(file, None, V("EMAIL_ADDRESS", p.email), f"{at}.email")
        TRUTH.add(file, None, V("PHONE_NUMBER", phone), f"{at}.telefon")
        TRUTH.add(file, None, V("AMOUNT", repr(due)), f"{at}.forderung")
        if i in (2, 5):  # an old file reference shaped like a national number, failing its check
            row["alte_referenz"] = F.bad_national_number()
            TRUTH.add(file, None, V("BAD_CHECKSUM", row["alte_referenz"]), f"{at}.alte_referenz")
        if i == 6:
            helper = F.person("de")
            row["betreuer"] = {"name": helper.full, "telefon": helper.mobile.fmt("intl")}
            TRUTH.add(file, None, V("PERSON", helper.full), f"{at}.betreuer.name")
            TRUTH.add(file, None, V("PHONE_NUMBER", row["betreuer"]["telefon"]), f"{at}.betreuer.telefon")
        lines.append(json.dumps(row, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the run ----------------------------------------------------------------------------------------------

def build() -> dict[str, bytes]:
    """Every file (name -> bytes); the truth goes to TRUTH. Deterministic: one Faker, drawn in a fixed order."""
    global F, TRUTH
    F = Faker(SEED)
    TRUTH = Truth()
    files: dict[str, bytes] = {}
    for inv in make_invoices():
        pdf = None
        if inv.pdf_name:
            pdf, values = invoice_pdf(inv)
            for v in values:
                TRUTH.add(inv.file, inv.pdf_name, v, None, **address_parts(v))
        x = ubl_document(inv, pdf)
        x.record(inv.file, None)
        files[inv.file] = x.bytes()
    inv = make_facturx_invoice()
    x = cii_document(inv)
    xml = x.bytes()
    x.record(inv.file, "factur-x.xml")
    data, values = invoice_pdf(inv, pdfa=True, attachment=xml)
    for v in values:
        TRUTH.add(inv.file, None, v, None, **address_parts(v))
    files[inv.file] = data
    files["debiteuren_2025-05.xlsx"] = make_xlsx()
    files["debiteurs_wallonie.ods"] = make_ods()
    files["export_debtors.json"] = make_json()
    files["export_schuldner.jsonl"] = make_jsonl()
    return files


def address_parts(v: V) -> dict:
    """A printed two-line address: the finding must cover the street line and the postcode."""
    if v.label != "ADDRESS":
        return {}
    street, _, town = v.value.partition("\n")
    return {"require": [street, town.split(" ")[0]]}


# --- checks on what was written --------------------------------------------------------------------------

def member_texts(files: dict[str, bytes]) -> dict[tuple[str, str | None], list[str]]:
    """The strings a reader sees, per (file, member): element texts, cell strings, JSON values, PDF text."""
    import pypdfium2 as pdfium

    def pdf_text(data: bytes) -> str:
        doc = pdfium.PdfDocument(data)
        try:
            return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        finally:
            doc.close()

    out: dict[tuple[str, str | None], list[str]] = {}
    for name, data in files.items():
        key = f"{FOLDER}/{name}"
        if name.endswith(".xml"):
            root = etree.fromstring(data)
            out[(key, None)] = [el.text for el in root.iter() if el.text and el.text.strip()]
            for el in root.iter("{%s}EmbeddedDocumentBinaryObject" % CBC):
                out[(key, el.get("filename"))] = [pdf_text(base64.b64decode(el.text))]
        elif name.endswith(".pdf"):
            out[(key, None)] = [pdf_text(data)]
            import pypdf
            for fname, contents in pypdf.PdfReader(io.BytesIO(data)).attachments.items():
                root = etree.fromstring(contents[0])
                out[(key, fname)] = [el.text for el in root.iter() if el.text and el.text.strip()]
        elif name.endswith((".xlsx", ".ods")):
            z = zipfile.ZipFile(io.BytesIO(data))
            texts = []
            for part in z.namelist():
                if part.endswith(".xml") and ("sheet" in part or "sharedStrings" in part or part == "content.xml"):
                    root = etree.fromstring(z.read(part))
                    texts += ["\n".join(t for t in el.itertext()) for el in root.iter()
                              if etree.QName(el).localname in ("si", "v", "table-cell")]
            out[(key, None)] = texts
        else:
            values: list[str] = []

            def walk(o):
                if isinstance(o, dict):
                    for v in o.values():
                        walk(v)
                elif isinstance(o, list):
                    for v in o:
                        walk(v)
                else:
                    values.append(o if isinstance(o, str) else json.dumps(o))
            if name.endswith(".jsonl"):
                for line in data.decode("utf-8").splitlines():
                    walk(json.loads(line))
            else:
                walk(json.loads(data))
            out[(key, None)] = values
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def check(files: dict[str, bytes], rows: list[dict]) -> None:
    texts = member_texts(files)
    joined = {k: squash("\n".join(v)) for k, v in texts.items()}
    problems = []
    for row in rows:
        key = (row["file"], row["member"])
        if key not in texts:
            problems.append(f"{key}: no such file or member")
            continue
        for piece in row.get("pieces") or [row["value"]]:
            if not any(squash(piece) in squash(t) for t in texts[key]) and squash(piece) not in joined[key]:
                problems.append(f"{key}: a {row['entity_type'] or row['kind']} value is not in the data")
    # Sweep: every valid identifier and e-mail address in the data must be annotated.
    annotated: dict = {}
    for row in rows:
        if not row["decoy"]:
            annotated.setdefault((row["file"], row["member"]), set()).add(re.sub(r"[\W_]", "", row["value"]).upper())
    for key, strings in texts.items():
        have = annotated.get(key, set())
        for s in strings:
            candidates = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", s)
            candidates += [m for m in re.findall(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", s)
                           if std_iban.is_valid(m)]
            candidates += [m for m in re.findall(r"\d[\d .\-/]{8,16}\d", s)
                           if (len(digits(m)) == 11 and (nn.is_valid(digits(m)) or bis.is_valid(digits(m))))
                           or (len(digits(m)) == 10 and vat.is_valid(digits(m)))]
            for c in candidates:
                norm = re.sub(r"[\W_]", "", c).upper()
                if not any(norm in h for h in have):
                    problems.append(f"{key}: an unannotated identifier or e-mail address")
    for row in rows:
        if row["entity_type"] == "BIC_CODE" and not std_bic.is_valid(row["value"]):
            problems.append(f"{row['file']}: invalid BIC")
    sizes = {name: len(data) for name, data in files.items()}
    big = [name for name, size in sizes.items() if size > MAX_FILE_BYTES]
    if big or sum(sizes.values()) > MAX_TOTAL_BYTES:
        problems.append(f"files too large: {big or sum(sizes.values())}")
    if problems:
        raise SystemExit("checks failed:\n  " + "\n  ".join(sorted(set(problems))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE, help="write DIR/einvoices/ and DIR/einvoices_truth.jsonl")
    args = ap.parse_args(argv)
    files = build()
    rows = TRUTH.sorted_rows()
    check(files, rows)
    folder = args.out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file() and old.name not in files:
            old.unlink()
    for name, data in sorted(files.items()):
        (folder / name).write_bytes(data)
    with open(args.out / TRUTH_NAME, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = Counter(r["entity_type"] or "decoy:" + r["kind"] for r in rows)
    print(f"{len(files)} files, {sum(len(d) for d in files.values()) / 1e3:.0f} kB; "
          f"{sum(not r['decoy'] for r in rows)} entities, {sum(r['decoy'] for r in rows)} decoys")
    for k, n in sorted(kinds.items()):
        print(f"  {k:<26}{n:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
