#!/usr/bin/env python3
"""Generate the sample documents of sample_docs/ and their exact ground truth.

    python sample_docs/generate.py          # from the repository root

Writes sample_docs/text/* (about fifty letters, invoices, e-mails, exports in
French, Dutch, German and English), sample_docs/ground_truth.jsonl and
sample_docs/manifest.json, then re-reads every file and checks each
annotation against the text as decoded. The seed is fixed: a run reproduces
the committed files byte for byte. Needs only python-stdnum.

Each document is a template (doc_templates.py) filled with invented values
(fakes.py); values to annotate are appended as tagged pieces (textbuild.py),
so their offsets are exact by construction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import ipaddress
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True   # leave no __pycache__ in sample_docs/

import doc_templates as T  # noqa: E402
from fakes import (BE_PHONE_STYLES, NN_STYLES, VAT_STYLES, Address, Faker, ascii_fold,  # noqa: E402
                   fmt_amount, fmt_card, fmt_date, fmt_eid, fmt_iban, fmt_nn,
                   fmt_ogm, fmt_vat, mrz_td1)
from stdnum import iban as std_iban  # noqa: E402
from stdnum import luhn  # noqa: E402
from stdnum.be import bis, eid, nn  # noqa: E402
from stdnum.be import iban as be_iban  # noqa: E402
from textbuild import ENTITY_TYPES, Piece, Span, Tag, fill, join  # noqa: E402
from validation import check_decoy, check_entity  # noqa: E402

SEED = 20240611
OUT = HERE / "text"
F = Faker(SEED)

FIXED_STYLES = ("nat", "nat", "nat_slash", "intl", "nat_paren", "intl_00", "nat_dots")
DOB_STYLES = {"fr": ("slash", "long"), "nl": ("slash", "dash", "long"),
              "de": ("dot", "long"), "en": ("long", "iso", "slash")}
DATE_STYLE = {"fr": "slash", "nl": "slash", "de": "dot", "en": "long"}
AMOUNT_STYLES = {"fr": ("eur", "euro", "fr_space"), "nl": ("euro_before", "eur", "euro"),
                 "de": ("eur", "euro"), "en": ("eur_before", "euro_tight")}


# --- documents -------------------------------------------------------------------------

class Doc:
    """One output file: its text as a Piece plus where and how it is written."""

    def __init__(self, name: str, lang: str, kind: str, encoding: str = "utf-8"):
        self.name, self.lang, self.kind, self.encoding = name, lang, kind, encoding
        self.body = Piece()

    def add(self, template: str, lang: str | None = None, **values) -> "Doc":
        self.body.add(fill(template, **values), lang)
        return self

    def render(self) -> tuple[str, list[Span]]:
        text = self.body.text
        spans = [replace(s, lang=s.lang or self.lang) for s in self.body.spans]
        spans += _bic_shaped_words(text, spans, self.lang)
        return text, sorted(spans, key=lambda s: (s.start, s.end, s.label))


_BIC_SHAPED = re.compile(r"(?<![\w@.])[A-Z]{8}(?:[A-Z]{3})?(?![\w@.])")


def _bic_shaped_words(text: str, spans: list[Span], lang: str) -> list[Span]:
    """Capital words of 8 or 11 letters outside any annotation are BIC_WORD decoys."""
    extra = []
    for m in _BIC_SHAPED.finditer(text):
        if not any(s.start < m.end() and m.start() < s.end for s in spans):
            extra.append(Span(m.start(), m.end(), "BIC_WORD", True, lang))
    return extra


# --- tagged values ------------------------------------------------------------------------

def person_tag(name: str) -> Tag:
    return Tag("PERSON", name)


def date_tag(d: dt.date, lang: str, style: str | None = None) -> Tag:
    return Tag("DATE", fmt_date(d, lang, style or DATE_STYLE[lang]))


def amount_tag(x: Decimal, lang: str, style: str | None = None) -> Tag:
    return Tag("AMOUNT", fmt_amount(x, lang, style or F.pick(AMOUNT_STYLES[lang])))


def money(lo: int, hi: int) -> Decimal:
    return Decimal(F.rng.randrange(lo * 100, hi * 100)) / 100


def pct(x: Decimal, rate) -> Decimal:
    return (x * Decimal(rate) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def rfc2822(d: dt.date) -> str:
    h, m, s = F.rng.randrange(7, 22), F.rng.randrange(60), F.rng.randrange(60)
    tz = "+0200" if 4 <= d.month <= 10 else "+0100"
    return f"{d.strftime('%a, %d %b %Y')} {h:02d}:{m:02d}:{s:02d} {tz}"


# Reference numbers (decoys). Formats differ per language and document type.
def file_no(lang: str, year: int | None = None) -> Tag:
    y = year or F.pick((2023, 2024))
    return Tag("FILE_NUMBER", {"fr": f"{y}/IM/{F.digits(5)}", "nl": f"IM-{y % 100}-{F.digits(5)}",
                               "de": f"IM/{y}/{F.digits(4)}", "en": f"IM-{y}-{F.digits(5)}"}[lang])


def invoice_no(lang: str, year: int | None = None) -> Tag:
    y = year or F.pick((2023, 2024))
    return Tag("INVOICE_NUMBER", F.pick({
        "fr": (f"F{y}-{F.digits(5)}", f"{y}/{F.digits(4)}", f"FAC-{y % 100}-{F.digits(4)}"),
        "nl": (f"{y}{F.digits(4)}", f"VF{y % 100}/{F.digits(4)}", f"F-{y}-{F.digits(3)}"),
        "de": (f"RE-{y}-{F.digits(4)}", f"{y % 100}-{F.digits(4)}", f"R{y}/{F.digits(3)}"),
        "en": (f"INV-{y % 100}-{F.digits(4)}", f"INV{y}{F.digits(3)}", f"{y}-{F.digits(5)}"),
    }[lang]))


def customer_no(lang: str) -> Tag:
    return Tag("CUSTOMER_NUMBER", F.pick({
        "fr": (f"CL-{F.digits(5)}", f"C{F.digits(6)}"), "nl": (f"K{F.digits(6)}", f"KL-{F.digits(5)}"),
        "de": (f"KD-{F.digits(5)}", f"{F.digits(6)}"), "en": (f"C-{F.digits(6)}", f"CUST{F.digits(5)}"),
    }[lang]))


def order_no(lang: str) -> Tag:
    return Tag("ORDER_NUMBER", {"fr": f"BC-{F.digits(4)}-{F.digits(3)}", "nl": f"BB/{F.digits(2)}/{F.digits(3)}",
                                "de": f"A-{F.digits(6)}", "en": f"PO {F.digits(8)}"}[lang])


def ogm_tag(style: str = "+++") -> Tag:
    return Tag("OGM", fmt_ogm(F.ogm(), style))


def bad_nn_tag() -> Tag:
    return Tag("BAD_CHECKSUM", F.bad_national_number())


def bad_vat_tag(style: str = "compact") -> Tag:
    n = F.bad_enterprise_number()
    return Tag("BAD_CHECKSUM", n if style == "compact" else fmt_vat(n, style))


# --- people and companies as template values ----------------------------------------------

_EID: dict[str, str] = {}


def eid_of(p) -> str:
    if p.full not in _EID:
        _EID[p.full] = F.id_card_number()
    return _EID[p.full]


def person_values(prefix: str, p, lang: str, suffix: str = "") -> dict:
    """Template fields for a person (see doc_templates' docstring)."""
    short, long_ = T.TITLES[lang][p.sex]
    if lang == "en" and p.sex == "F":
        short = F.pick(("Ms", "Mrs"))
    addr = p.address
    v = {
        "name": person_tag(p.full), "caps": person_tag(p.caps), "NAME": person_tag(p.full.upper()),
        "rev": person_tag(p.reverse), "first": person_tag(p.given), "last": person_tag(p.surname),
        "title": short, "title_long": long_,
        "greet": fill(T.GREETINGS[lang][p.sex], last=person_tag(p.surname)),
        "hi": fill(T.INFORMAL[lang], first=person_tag(p.given)),
        "addr": Tag("ADDRESS", addr.line()), "addr2": Tag("ADDRESS", addr.lines()),
        "ADDR2": Tag("ADDRESS", addr.upper_lines()),
        "mobile": Tag("PHONE_NUMBER", p.mobile.fmt(F.pick(BE_PHONE_STYLES))),
        "phone": Tag("PHONE_NUMBER", p.mobile.fmt(F.pick(BE_PHONE_STYLES))),
        "fixed": Tag("PHONE_NUMBER", p.landline.fmt(F.pick(FIXED_STYLES))),
        "email": Tag("EMAIL_ADDRESS", p.email),
        "iban": Tag("IBAN_CODE", fmt_iban(p.iban)), "iban_c": Tag("IBAN_CODE", p.iban),
        "bic": Tag("BIC_CODE", p.bic),
        "nn": Tag("BE_NATIONAL_NUMBER", fmt_nn(p.nn, F.pick(NN_STYLES))),
        "eid": Tag("BE_ID_CARD_NUMBER", fmt_eid(eid_of(p))),
        "dob": Tag("DATE_OF_BIRTH", fmt_date(p.birth, lang, F.pick(DOB_STYLES[lang]))),
        "born": T.BORN[lang][p.sex], "town": addr.town,
    }
    return _keyed(prefix, v, lang, suffix)


def _keyed(prefix: str, values: dict, lang: str, suffix: str) -> dict:
    """Prefix the field names; a suffixed (bilingual) set carries its language."""
    if suffix:
        values = {k: val if isinstance(val, str) else Piece().add(val, lang) for k, val in values.items()}
    return {f"{prefix}_{k}{suffix}": val for k, val in values.items()}


def caps_piece(text: str) -> Piece:
    """A company name in capitals; BIC-shaped words in it become decoys at render time."""
    return Piece().add(text.upper())


def company_values(prefix: str, c, lang: str, suffix: str = "") -> dict:
    addr = c.address.nl() if lang == "nl" else c.address
    v = {
        "name": c.name, "NAME": caps_piece(c.name),
        "addr": Tag("ADDRESS", addr.line()), "addr2": Tag("ADDRESS", addr.lines()),
        "vat": Tag("BE_ENTERPRISE_NUMBER", fmt_vat(c.vat, F.pick(VAT_STYLES))),
        "vat_be": Tag("BE_ENTERPRISE_NUMBER", fmt_vat(c.vat, F.pick(("be", "be_dotted", "be_dotted_tight")))),
        "vat_dotted": Tag("BE_ENTERPRISE_NUMBER", fmt_vat(c.vat, "dotted")),
        "phone": Tag("PHONE_NUMBER", c.phone.fmt(F.pick(FIXED_STYLES))),
        "email": Tag("EMAIL_ADDRESS", c.email), "web": c.web,
        "iban": Tag("IBAN_CODE", fmt_iban(c.iban)), "iban_c": Tag("IBAN_CODE", c.iban),
        "bic": Tag("BIC_CODE", c.bic), "bank": c.bank, "town": addr.town,
    }
    return _keyed(prefix, v, lang, suffix)


# The collector (the firm itself), its staff, its clients and partners.
_COLLECTOR = F.company(
    "Invoice Managers SRL", "fr", "invoicemanagers.be", bank="001",
    address=Address("Boulevard du Souverain", "280", "", "1160", "Auderghem", "2",
                    "Vorstlaan", "Oudergem"))
_COLLECTOR_NL_IBAN, _COLLECTOR_NL_BIC, _ = F.be_iban("363")
COLLECTOR = {
    "fr": _COLLECTOR, "en": _COLLECTOR, "de": _COLLECTOR,
    "nl": replace(_COLLECTOR, name="Invoice Managers BV", iban=_COLLECTOR_NL_IBAN,
                  bic=_COLLECTOR_NL_BIC, bank="ING België"),
}
COLLECTOR_MAILBOXES = {"fr": "verification", "nl": "verificatie", "de": "verifizierung",
                       "en": "verification"}


def collector_values(lang: str) -> dict:
    v = company_values("co", COLLECTOR[lang], lang)
    for key, box in (("support", "support"), ("dpo", "dpo"), ("payments", "payments"),
                     ("verify", COLLECTOR_MAILBOXES[lang])):
        v[f"co_{key}"] = Tag("EMAIL_ADDRESS", f"{box}@invoicemanagers.be")
    return v


AGENTS = {lang: [F.person(lang, sex="F"), F.person(lang, sex="M")] for lang in ("fr", "nl", "de", "en")}
STAFF_EMAIL = {a.full: F.email(a.given, a.family, "invoicemanagers.be", "first.last")
               for team in AGENTS.values() for a in team}


def agent_values(lang: str, sex: str | None = None) -> dict:
    choices = [a for a in AGENTS[lang] if sex in (None, a.sex)]
    a = F.pick(choices)
    v = person_values("a", a, lang)
    # Staff write from their work address.
    v["a_email"] = Tag("EMAIL_ADDRESS", STAFF_EMAIL[a.full])
    v["a_phone"] = Tag("PHONE_NUMBER", F.pick(("+32 2 ", "02 ")) + f"663 {F.digits(2)} {F.digits(2)}")
    return v


CREDITORS = {
    "fr": [("Fitness Horizon SRL", "fitnesshorizon.be"), ("Auto-École La Route SRL", "autoecolelaroute.be"),
           ("Optique du Marché SRL", "optiquedumarche.be")],
    "nl": [("Fietsen De Ketting BV", "deketting.be"), ("Rijschool Vooruit BV", "rijschoolvooruit.be"),
           ("Tandartsenpraktijk Zonneweelde BV", "zonneweelde.be")],
    "de": [("Autohaus Weserblick AG", "weserblick-auto.be"), ("Fitnessstudio Vennpower GmbH", "vennpower.be"),
           ("Möbel Hansen GmbH", "moebel-hansen.be")],
    "en": [("Northgate Software BV", "northgate-software.be"), ("Brussels Language Institute SRL", "bli-brussels.be"),
           ("Greenline Telecom SA", "greenline-telecom.be")],
}
_creditor_cache: dict[str, object] = {}


def creditor(lang: str):
    name, domain = F.pick(CREDITORS[lang])
    if name not in _creditor_cache:
        _creditor_cache[name] = F.company(name, lang, domain, mailbox="facturation" if lang == "fr" else "info")
    return _creditor_cache[name]


# --- invoices ------------------------------------------------------------------------------

SUPPLIERS_A = {
    "fr": dict(name="Électricité Moreau SRL", domain="electricite-moreau.be", region="wallonia", vat_rate=6,
               items=[("Remplacement tableau électrique", 1, "845.00"), ("Main-d'œuvre électricien (h)", 6, "52.00"),
                      ("Contrôle de conformité RGIE", 1, "165.00"), ("Frais de déplacement", 1, "35.00")]),
    "nl": dict(name="Bakkerij Peeters BV", domain="bakkerijpeeters.be", region="flanders", vat_rate=6,
               items=[("Broodjesschotel 20 st.", 3, "48.50"), ("Frangipanetaart 8 pers.", 2, "22.00"),
                      ("Pistolets (per 10)", 6, "5.20"), ("Levering aan huis", 1, "7.50")]),
    "de": dict(name="Heizungsbau Kessler GmbH", domain="kessler-heizung.be", region="ostbelgien", vat_rate=21,
               items=[("Jährliche Wartung Gasheizkessel", 1, "149.00"), ("Austausch Umwälzpumpe", 1, "312.40"),
                      ("Arbeitsstunden Monteur", 3, "58.00"), ("Anfahrtspauschale", 1, "29.00")]),
    "en": dict(name="Atlas Removals Belgium SRL", domain="atlasremovals.be", region="brussels", vat_rate=21,
               items=[("Removal Brussels-Leuven, 2 movers + van", 1, "780.00"), ("Packing materials", 1, "64.50"),
                      ("Piano handling surcharge", 1, "150.00"), ("Storage per m3, 1 month", 4, "18.00")]),
}
SOLE_TRADERS = {  # the supplier of the second invoice: a person, sex, iban country, items, VAT rate
    "fr": dict(sex="F", iban="BE", vat_rate=21,
               items=[("Traduction contrat de bail (2.350 mots)", 1, "329.00"),
                      ("Traduction jurée – légalisation", 2, "45.00"), ("Supplément urgence", 1, "60.00")]),
    "nl": dict(sex="M", iban="BE", vat_rate=6,
               items=[("Sifon en aansluitstukken", 1, "38.90"), ("Mengkraan badkamer", 1, "124.00"),
                      ("Werkuren loodgieter", 3, "55.00"), ("Verplaatsing", 1, "30.00")]),
    "de": dict(sex="F", iban="BE", vat_rate=0,
               items=[("Physiotherapie, Sitzung 30 Min.", 9, "27.50"), ("Hausbesuch-Zuschlag", 3, "12.00")]),
    "en": dict(sex="M", iban="NL", vat_rate=21,
               items=[("Product photography, half day", 1, "450.00"), ("Retouching, per image", 24, "8.50"),
                      ("Licence for web use, 2 years", 1, "200.00")]),
}
COMPANY_CUSTOMERS = {"fr": ("Agence Immobilière du Parc SRL", "agenceduparc.be"),
                     "en": ("Northgate Software BV", "northgate-software.be"),
                     "nl": ("Bouwonderneming Stevens BV", "stevensbouw.be"),
                     "de": ("Ostbelgien Tourismus VoG", "ostbelgien-tourismus.be")}


def invoice_table(lang: str, items) -> tuple[Piece, Decimal]:
    cols = T.INVOICE_COLUMNS[lang]
    p = Piece().add(f"{cols[0]:<42}{cols[1]:>6}{cols[2]:>14}{cols[3]:>14}\n" + "-" * 76 + "\n")
    net = Decimal(0)
    for desc, qty, unit in items:
        unit = Decimal(unit)
        total = unit * qty
        net += total
        u, t = fmt_amount(unit, lang), fmt_amount(total, lang)
        p.add(f"{desc:<42}{qty:>6}" + " " * (14 - len(u))).add(Tag("AMOUNT", u))
        p.add(" " * (14 - len(t))).add(Tag("AMOUNT", t)).add("\n")
    p.add("-" * 76)
    return p, net


def invoice_amounts(lang: str, items, rate) -> dict:
    lines, net = invoice_table(lang, items)
    vat_amt = pct(net, rate)
    style = F.pick(AMOUNT_STYLES[lang])
    return dict(lines=lines, net=amount_tag(net, lang, style), vat_amt=amount_tag(vat_amt, lang, style),
                total=amount_tag(net + vat_amt, lang, style))


def invoice_common(lang: str) -> dict:
    d = F.doc_date()
    return dict(inv_no=invoice_no(lang, d.year), inv_date=date_tag(d, lang), due_date=date_tag(days(d, 30), lang),
                service_date=date_tag(days(d, -F.rng.randrange(2, 12)), lang),
                cust_no=customer_no(lang), order_no=order_no(lang), mandate=customer_no(lang),
                ref_bad=bad_nn_tag(), contract=bad_vat_tag("dotted"))


def invoice_a(lang: str) -> Doc:
    spec = SUPPLIERS_A[lang]
    s = F.company(spec["name"], lang, spec["domain"], region=spec["region"])
    c = F.person(lang)
    v = {**company_values("s", s, lang), **person_values("c", c, lang), **invoice_common(lang),
         **invoice_amounts(lang, spec["items"], spec["vat_rate"]),
         "ogm": ogm_tag(F.pick(("+++", "+++", "***")))}
    return Doc(f"text/{lang}_invoice_01.txt", lang, "invoice").add(T.INVOICE_A[lang], **v)


def invoice_b(lang: str) -> Doc:
    spec = SOLE_TRADERS[lang]
    sp = F.person(lang, sex=spec["sex"], born=(1965, 1992), iban_country=spec["iban"])
    c = F.person(lang)
    cc_name, cc_domain = COMPANY_CUSTOMERS[lang]
    cc = F.company(cc_name, lang, cc_domain)
    v = {**person_values("sp", sp, lang), **person_values("c", c, lang), **company_values("cc", cc, lang),
         **invoice_common(lang), **invoice_amounts(lang, spec["items"], spec["vat_rate"]),
         "ogm": ogm_tag("***" if lang == "fr" else "+++"),
         "sp_foreign_phone": Tag("PHONE_NUMBER", F.phone_foreign("NL").fmt("intl"))}
    # A sole trader's enterprise number is personal data: same type, same span rules.
    ent = F.enterprise_number()
    v.update(sp_vat=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, F.pick(VAT_STYLES))),
             sp_vat_be=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, "be_dotted")),
             sp_vat_dotted=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, "dotted")))
    return Doc(f"text/{lang}_invoice_02.txt", lang, "invoice").add(T.INVOICE_B[lang], **v)


# --- collection letters -------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """Dates and amounts of an unpaid invoice followed up by the collector."""
    invoice: dt.date
    letter: dt.date
    principal: Decimal
    interest: Decimal
    costs: Decimal
    paid: Decimal

    @classmethod
    def draw(cls) -> "Claim":
        inv = F.doc_date()
        principal = money(60, 2400)
        return cls(inv, days(inv, F.rng.randrange(45, 120)), principal, pct(principal, F.pick((2, 3, 4))),
                   Decimal(F.pick((20, 30, 35, 65))), money(10, int(principal) // 2 + 11))


def claim_refs(lang: str, claim: Claim) -> dict:
    return dict(inv_no=invoice_no(lang, claim.invoice.year), file_no=file_no(lang, claim.letter.year), cust_no=customer_no(lang), ogm=ogm_tag(),
                ref_bad=bad_nn_tag(), ref_bad_vat=bad_vat_tag())


def claim_values(lang: str, claim: Claim | None = None, refs: dict | None = None) -> dict:
    c = claim or Claim.draw()
    style = F.pick(AMOUNT_STYLES[lang])
    a = lambda x: amount_tag(x, lang, style)  # noqa: E731
    d = lambda x, s=None: date_tag(x, lang, s)  # noqa: E731
    return dict(
        date=d(c.letter, "long"), date_s=d(c.letter), inv_date=d(c.invoice), due_date=d(days(c.invoice, 30)),
        reminder_date=d(days(c.invoice, 45)), pay_by=d(days(c.letter, 15)),
        principal=a(c.principal), interest=a(c.interest), costs=a(c.costs), paid=a(c.paid),
        rest=a(c.principal - c.paid), total=a(c.principal + c.interest + c.costs),
        **(refs or claim_refs(lang, c)))


def reminder(lang: str) -> Doc:
    d = F.person(lang, sex="M" if lang == "fr" else None)
    k = creditor(lang)
    v = {**collector_values(lang), **person_values("d", d, lang), **company_values("k", k, lang),
         **agent_values(lang, "F" if lang == "de" else None), **claim_values(lang)}
    return Doc(f"text/{lang}_reminder_01.txt", lang, "reminder").add(T.REMINDER[lang], **v)


LAWYER_DOMAINS = {"fr": "avocat.be", "nl": "gdw-{}.be", "de": "ra-{}.be", "en": "avocat.be"}
LAWYERS = {"fr": dict(sex="F", region="wallonia"), "nl": dict(sex="M", region="flanders"),
           "de": dict(sex="F", region="ostbelgien"), "en": dict(sex="M", region="brussels")}


def formal_notice(lang: str) -> Doc:
    spec = LAWYERS[lang]
    law_lang = "fr" if lang == "en" else lang          # a Brussels lawyer for the English letter
    lawyer = F.person(law_lang, sex=spec["sex"], born=(1960, 1988), region=spec["region"])
    d = F.person(lang)
    k = creditor(lang)
    v = {**collector_values(lang), **person_values("d", d, lang), **company_values("k", k, lang),
         **person_values("l", lawyer, lang), **agent_values(lang), **claim_values(lang)}
    v["l_email"] = Tag("EMAIL_ADDRESS", F.email(lawyer.given, lawyer.family, LAWYER_DOMAINS[lang].format(
        ascii_fold(lawyer.family).lower().replace(" ", "").replace("'", "")), "first.last"))
    ent = F.enterprise_number()   # lawyers and bailiffs are sole traders
    v.update(l_vat=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, F.pick(VAT_STYLES))),
             l_vat_be=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, "be_dotted")),
             l_vat_dotted=Tag("BE_ENTERPRISE_NUMBER", fmt_vat(ent, "dotted")))
    return Doc(f"text/{lang}_formal_notice_01.txt", lang, "formal_notice").add(T.FORMAL_NOTICE[lang], **v)


DATA_REQUESTERS = {"fr": dict(born=(1958, 1975)), "nl": dict(born=(2000, 2005)),
                   "de": dict(born=(1978, 1995)), "en": dict(born=(2001, 2006))}


def data_request(lang: str) -> Doc:
    d = F.person(lang, **DATA_REQUESTERS[lang])
    today = F.doc_date()
    v = {**collector_values(lang), **person_values("d", d, lang), "file_no": file_no(lang, today.year),
         "date": date_tag(today, lang, "long"), "paid_date": date_tag(days(today, -20), lang),
         "amount": amount_tag(money(80, 900), lang),
         "d_prev_addr": Tag("ADDRESS", F.address(lang).line())}
    return Doc(f"text/{lang}_data_request_01.txt", lang, "data_subject_request").add(T.DATA_REQUEST[lang], **v)


# --- e-mails --------------------------------------------------------------------------------

def mail_values(lang: str) -> dict:
    d0 = F.doc_date()
    total = money(300, 3000)
    inst = (total / 6).quantize(Decimal("1")) + Decimal(F.pick((0, 5, 10)))
    style = F.pick(AMOUNT_STYLES[lang])
    return dict(hdr_date=Tag("DATE", rfc2822(d0)), hdr_date2=Tag("DATE", rfc2822(days(d0, 1))),
                prev_date=date_tag(days(d0, -3), lang, "long"), start_date=date_tag(days(d0, 20), lang),
                paid_date=date_tag(days(d0, -40), lang), stmt_date=date_tag(days(d0, -36), lang),
                file_no=file_no(lang, d0.year),
                inv_no=invoice_no(lang, days(d0, -70).year),
                total=amount_tag(total, lang, style), inst=amount_tag(inst, lang, style), ogm=ogm_tag(),
                r1=date_tag(days(d0, 10), lang), r2=date_tag(days(d0, 40), lang), r3=date_tag(days(d0, 70), lang),
                log_day=Tag("DATE", days(d0, -1).isoformat()), log_day0=Tag("DATE", days(d0, -3).isoformat()))


def email(lang: str) -> Doc:
    d = F.person(lang, sex="M" if lang == "fr" else None,
                 iban_country="DE" if lang == "de" else "BE")
    sp = F.person(lang, sex="F" if lang == "fr" else None)
    k = creditor(lang)
    v = {**collector_values(lang), **person_values("d", d, lang), **person_values("sp", sp, lang),
         **company_values("k", k, lang), **agent_values(lang), **mail_values(lang),
         "d_foreign_phone": Tag("PHONE_NUMBER", F.phone_foreign("DE").fmt(F.pick(("intl", "intl_00"))))}
    return Doc(f"text/{lang}_email_01.txt", lang, "email").add(T.EMAIL[lang], **v)


SECRETS = {  # (password, second secret) as customers and support staff write them
    "fr": ("Vx7!qTe2#Lm", "Rintintin"), "nl": ("Zomer2024!Kust", "4821"),
    "de": ("Eupen#4700mk", "Hergenrath"), "en": ("pX9-wr4T-bb2Q", "7306"),
}


def email_support(lang: str) -> Doc:
    d = F.person(lang)
    password, second = SECRETS[lang]
    ips = [F.ipv4(), F.ipv4(), F.ipv6() if lang == "en" else F.ipv4()]
    v = {**collector_values(lang), **person_values("d", d, lang), **agent_values(lang), **mail_values(lang),
         "password": Tag("PASSWORD", password), "secret": Tag("PASSWORD", second), "pin": Tag("PASSWORD", second),
         "ip1": Tag("IP_ADDRESS", ips[0]), "ip2": Tag("IP_ADDRESS", ips[1]), "ip3": Tag("IP_ADDRESS", ips[2])}
    return Doc(f"text/{lang}_email_support_01.txt", lang, "email").add(T.EMAIL_SUPPORT[lang], **v)


def email_card() -> Doc:
    lang = "en"
    d = F.person(lang)
    v = {**collector_values(lang), **person_values("d", d, lang), **agent_values(lang), **mail_values(lang),
         "card1": Tag("CREDIT_CARD", fmt_card(F.card_number("visa"))),
         "card2": Tag("CREDIT_CARD", fmt_card(F.card_number("mastercard")))}
    return Doc("text/en_email_card_payment_01.txt", lang, "email").add(T.EMAIL_CARD, **v)


def mrz_piece(p, card: str, expiry: dt.date) -> Piece:
    """The MRZ block, with the national number inside it annotated as well."""
    block = mrz_td1(p, card, expiry)
    piece = Piece().add(Tag("MRZ", block))
    at = block.index("\n") + 1 + 18      # line 2, positions 19-29
    piece.spans.append(Span(at, at + 11, "BE_NATIONAL_NUMBER", False, None))
    assert block[at:at + 11] == p.nn
    return piece


def email_mrz() -> Doc:
    lang = "fr"
    d = F.person(lang, born=(1970, 1999))
    expiry = days(F.doc_date(), 365 * 7)
    v = {**collector_values(lang), **person_values("d", d, lang), **agent_values(lang), **mail_values(lang),
         "mrz": mrz_piece(d, eid_of(d), expiry)}
    return Doc("text/fr_email_id_copy_01.txt", lang, "email").add(T.EMAIL_MRZ, **v)


# --- letters, HTML, case notes -----------------------------------------------------------------

LETTER_ENCODINGS = {"fr": "cp1252", "de": "utf-16"}


def letter(lang: str) -> Doc:
    # The CP1252 letter needs names CP1252 can encode: draw from the regular pools only.
    d = F.person(lang, sex="M" if lang == "fr" else None, born=(1948, 1965),
                 iban_country="DE" if lang == "de" else "BE")
    sp = F.person(lang, sex="F")
    child = F.relative(d, "M", born=(1985, 2000))
    mediator = F.person("fr", sex="F", born=(1965, 1990), region="brussels")
    k = creditor(lang)
    today = F.doc_date()
    total = money(200, 1800)
    inst = money(40, 150)
    v = {**collector_values(lang), **person_values("d", d, lang), **person_values("sp", sp, lang),
         **company_values("k", k, lang), **agent_values(lang), **person_values("m", mediator, lang),
         "file_no": file_no(lang, today.year), "inv_no": invoice_no(lang, days(today, -100).year),
         "date": date_tag(today, lang, "long"), "letter_date": date_tag(days(today, -12), lang),
         "paid_date": date_tag(days(today, -70), lang), "move_date": date_tag(days(today, -30), lang, "long"),
         "order_date": date_tag(days(today, -25), lang, "long"),
         "court_ref": Tag("FILE_NUMBER", f"{today.year % 100}/{F.digits(4)}/B"),
         "total": amount_tag(total, lang), "inst": amount_tag(inst, lang),
         "over": amount_tag(money(5, 60), lang),
         "child_name": person_tag(child.full), "child_phone": Tag("PHONE_NUMBER", child.mobile.fmt("nat_slash")),
         "child_email": Tag("EMAIL_ADDRESS", child.email),
         "d_old_addr": Tag("ADDRESS", F.address(lang).line())}
    # The mediator is a public service (CPAS) with a third-party account.
    v["m_iban"] = Tag("IBAN_CODE", fmt_iban(F.be_iban("096")[0]))
    v["m_email"] = Tag("EMAIL_ADDRESS", f"{mediator.email.split('@')[0]}@mediation-dettes-bxl.be")
    doc = Doc(f"text/{lang}_letter_01.txt", lang, "letter", LETTER_ENCODINGS.get(lang, "utf-8"))
    return doc.add(T.LETTER[lang], **v)


def html_doc(lang: str) -> Doc:
    d = F.person(lang)
    k = creditor(lang)
    today = F.doc_date()
    total = money(300, 1500)
    inst = (total / 3).quantize(Decimal("0.01"), ROUND_HALF_UP)
    style = F.pick(AMOUNT_STYLES[lang])
    v = {**collector_values(lang), **person_values("d", d, lang), **company_values("k", k, lang),
         **agent_values(lang), "file_no": file_no(lang, today.year), "cust_no": customer_no(lang),
         "date": date_tag(today, lang, "long"), "ogm": ogm_tag(),
         "total": amount_tag(total, lang, style), "inst": amount_tag(inst, lang, style),
         "last_inst": amount_tag(total - 2 * inst, lang, style), "rest": amount_tag(total - inst, lang, style),
         "paid_date": date_tag(days(today, -2), lang), "next_due": date_tag(days(today, 28), lang),
         "changed_on": date_tag(today, lang, "long"),
         "r1": date_tag(days(today, 15), lang), "r2": date_tag(days(today, 45), lang),
         "r3": date_tag(days(today, 75), lang)}
    amounts = [money(40, 500) for _ in range(3)]
    for i, x in enumerate(amounts, 1):
        v[f"inv{i}"] = invoice_no(lang, days(today, -30 * (5 - i)).year)
        v[f"inv{i}_date"] = date_tag(days(today, -30 * (5 - i)), lang)
        v[f"inv{i}_amt"] = amount_tag(x, lang, "eur")
    if lang == "de":
        v["total"] = amount_tag(sum(amounts), lang, "eur")
    name = {"fr": "fr_payment_plan_01.html", "nl": "nl_payment_receipt_01.html",
            "de": "de_statement_01.html", "en": "en_account_change_01.html"}[lang]
    return Doc(f"text/{name}", lang, "html_letter").add(T.HTML[lang], **v)


def case_note(lang: str) -> Doc:
    # The notes speak of "le débiteur", "der Schuldner ... er": male debtors.
    kw = dict(nn_kind="bis40", name=F.uncommon_name("M")) if lang == "en" else dict(sex="M")
    d = F.person(lang, **kw)
    sp = F.person(lang, sex="F")
    k = creditor(lang)
    today = F.doc_date()
    v = {**collector_values(lang), **person_values("d", d, lang), **person_values("sp", sp, lang),
         **company_values("k", k, lang), **agent_values(lang), "file_no": file_no(lang, today.year),
         "total": amount_tag(money(300, 2500), lang), "inst": amount_tag(money(50, 200), lang),
         "ogm": ogm_tag(), "card": Tag("CREDIT_CARD", fmt_card(F.card_number("mastercard"))),
         "d_new_addr": Tag("ADDRESS", F.address(lang).line()),
         "employer": F.pick(("Autohaus Weserblick AG", "Kabelwerk Eupen AG", "Stadtwerke Aachen")),
         "card_expiry": date_tag(days(today, 365 * 6), lang),
         "d_foreign_phone": Tag("PHONE_NUMBER", F.phone_foreign("GB").fmt("intl")),
         "sp_phone": Tag("PHONE_NUMBER", (F.phone_foreign("DE", "fixed") if lang == "de"
                                          else sp.mobile).fmt(F.pick(("intl", "nat")))),
         "mrz": mrz_piece(d, eid_of(d), days(today, 365 * 6)) if lang == "nl" else ""}
    for i in range(1, 6):
        v[f"n{i}"] = date_tag(days(today, 6 * i), lang)
    if lang == "en":  # the HR officer writes from the employer's domain
        v["sp_email"] = Tag("EMAIL_ADDRESS", f"{sp.given.lower()}.{sp.family.lower().replace(' ', '')}"
                                             f"@greenhouse-flanders.be")
    return Doc(f"text/{lang}_case_note_01.md", lang, "case_note").add(T.CASE_NOTE[lang], **v)


# --- exports -------------------------------------------------------------------------------------

def export_people(lang: str, n: int) -> list:
    """Debtors of an export: some young (born 2000+), one BIS, one with a foreign account."""
    people = []
    for i in range(n):
        kw = {}
        if i == 2:
            kw = dict(born=(2000, 2005))
        elif i == 4:
            kw = dict(name=F.uncommon_name(), nn_kind=F.pick(("bis40", "bis20")))
        elif i == 6:
            kw = dict(iban_country=F.pick(("FR", "NL", "LU")))
        elif i == 7 and lang == "nl":
            kw = dict(netherlands=True, iban_country="NL")
        people.append(F.person(lang, **kw))
    return people


def person_phone(p, i: int) -> Tag:
    if i == 6:
        return Tag("PHONE_NUMBER", F.phone_foreign(F.pick(("FR", "LU")), "mobile").fmt("intl"))
    if i == 7 and p.iban.startswith("NL"):
        return Tag("PHONE_NUMBER", F.phone_foreign("NL", "mobile").fmt("intl"))
    phone = p.landline if i % 3 == 1 else p.mobile
    return Tag("PHONE_NUMBER", phone.fmt(F.pick(BE_PHONE_STYLES if phone.is_mobile else FIXED_STYLES)))


def csv_export(lang: str) -> Doc:
    doc = Doc(f"text/{lang}_debtors_export_01.csv", lang, "debtor_export")
    doc.body.add(T.CSV_HEADERS[lang] + "\n")
    date_style = "iso" if lang == "en" else DATE_STYLE[lang]
    for i, p in enumerate(export_people(lang, 8)):
        cells = [
            customer_no(lang), person_tag(p.full if i % 3 else p.reverse), Tag("ADDRESS", p.address.line()),
            Tag("IBAN_CODE", fmt_iban(p.iban, grouped=i % 2 == 0)), person_phone(p, i),
            Tag("EMAIL_ADDRESS", p.email),
            Tag("BE_NATIONAL_NUMBER", fmt_nn(p.nn, F.pick(NN_STYLES))) if i in (0, 2, 3, 4, 7) else "",
            amount_tag(money(40, 4000), lang, "plain"), date_tag(F.doc_date(), lang, date_style),
        ]
        doc.body.add(join(cells, ";")).add("\n")
    return doc


class _Raw:
    """A JSON number (written without quotes)."""
    def __init__(self, tag: Tag):
        self.tag = tag


def json_value(v):
    if v is None:
        return "null"
    if isinstance(v, _Raw):
        return v.tag
    if json.dumps(v.value, ensure_ascii=False) != f'"{v.value}"':
        raise ValueError(f"value needs JSON escaping: {v.value!r}")
    return Piece().add('"').add(v).add('"')


def json_export(lang: str) -> Doc:
    keys = T.JSON_KEYS[lang]
    objects = []
    for i, p in enumerate(export_people(lang, 5)):
        ref = ogm_tag() if lang == "fr" else file_no(lang)
        fields = [
            ("id", customer_no(lang)), ("name", person_tag(p.full)),
            ("dob", Tag("DATE_OF_BIRTH", p.birth.isoformat()) if i in (0, 2, 3) else None),
            ("nn", Tag("BE_NATIONAL_NUMBER", fmt_nn(p.nn, F.pick(("compact", "card")))) if i != 1 else None),
            ("eid", Tag("BE_ID_CARD_NUMBER", fmt_eid(eid_of(p))) if i == 0 and lang != "nl" else None),
            ("addr", Tag("ADDRESS", p.address.line())), ("phone", person_phone(p, i)),
            ("email", Tag("EMAIL_ADDRESS", p.email)), ("iban", Tag("IBAN_CODE", p.iban)),
            ("balance", _Raw(Tag("AMOUNT", str(money(25, 3000))))),
            ("due", Tag("DATE", F.doc_date().isoformat())), ("ref", ref),
        ]
        lines = [Piece().add(f'    "{keys[k]}": ').add(json_value(val)) for k, val in fields]
        objects.append(Piece().add("  {\n").add(join(lines, ",\n")).add("\n  }"))
    doc = Doc(f"text/{lang}_debtors_export_01.json", lang, "debtor_export")
    doc.body.add("[\n").add(join(objects, ",\n")).add("\n]\n")
    return doc


# --- bilingual documents (Brussels) ------------------------------------------------------------------

def bilingual_letter() -> Doc:
    d = F.person("fr", region="brussels")
    claim = Claim.draw()
    refs = claim_refs("fr", claim)
    v = {**collector_values("fr"), **company_values("co", COLLECTOR["fr"], "fr", "_fr"),
         **company_values("co", COLLECTOR["nl"], "nl", "_nl"),
         **person_values("d", d, "fr"), **person_values("d", d, "fr", "_fr"), **person_values("d", d, "nl", "_nl"),
         **company_values("k", creditor("fr"), "fr"), **agent_values("fr"), "ogm_bare": ogm_tag("bare")}
    doc = Doc("text/bil_letter_01.txt", "fr", "letter")
    doc.add(T.BILINGUAL_LETTER_HEAD, "fr", **v, **claim_values("fr", claim, refs))
    doc.add(T.BILINGUAL_LETTER_FR, "fr", **v, **claim_values("fr", claim, refs))
    doc.add(T.BILINGUAL_LETTER_NL, "nl", **v, **claim_values("nl", claim, refs))
    doc.add(T.BILINGUAL_LETTER_SIGN, "nl", **v)
    return doc


def bilingual_care_home() -> Doc:
    home = F.company("Résidence Les Tilleuls SRL", "fr", "lestilleuls.be", region="brussels", mailbox="facturation")
    resident = F.person("fr", born=(1930, 1945), region="brussels")
    payer = F.person("fr", region="brussels")
    clerk = F.person("nl", sex="F")
    today = F.doc_date()
    month = days(today, -40)
    v = {**company_values("s", home, "fr"), **company_values("s", home, "nl", "_nl"),
         **person_values("p", payer, "fr"), **person_values("p", payer, "fr", "_fr"),
         **person_values("p", payer, "nl", "_nl"),
         **person_values("r", resident, "fr"), **person_values("r", resident, "fr", "_fr"),
         **person_values("r", resident, "nl", "_nl"), **person_values("b", clerk, "nl"),
         "inv_no": invoice_no("fr", month.year), "total": amount_tag(money(1800, 2600), "fr", "eur"),
         "pay_by": date_tag(days(today, 15), "fr"), "ogm": ogm_tag(),
         "month_fr": fmt_date(month, "fr", "long").split(" ", 1)[1],
         "month_nl": fmt_date(month, "nl", "long").split(" ", 1)[1]}
    doc = Doc("text/bil_care_home_reminder_01.txt", "fr", "reminder")
    doc.add(T.BILINGUAL_CARE_HEAD, "fr", **v)
    doc.add(T.BILINGUAL_CARE_FR, "fr", **v)
    doc.add(T.BILINGUAL_CARE_NL, "nl", **{**v, "pay_by": date_tag(days(today, 15), "nl")})
    doc.add(T.BILINGUAL_CARE_SIGN, "nl", **v)
    return doc


# --- the run ---------------------------------------------------------------------------------------------

BUILDERS_PER_LANGUAGE = (invoice_a, invoice_b, reminder, formal_notice, data_request, email, email_support,
                         csv_export, html_doc, json_export, case_note, letter)
EXTRA_BUILDERS = (bilingual_letter, bilingual_care_home, email_card, email_mrz)


def build_all() -> list[Doc]:
    docs = [build(lang) for lang in ("fr", "nl", "de", "en") for build in BUILDERS_PER_LANGUAGE]
    docs += [build() for build in EXTRA_BUILDERS]
    names = [d.name for d in docs]
    assert len(names) == len(set(names)), "two documents with the same name"
    return docs


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":   # explicit BOM + little endian: the same bytes on every machine
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


def decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-16":
        assert data[:2] == b"\xff\xfe"
        return data.decode("utf-16")
    return data.decode(encoding)


def ground_truth_line(doc: Doc, text: str, s: Span) -> dict:
    kind_key = "decoy" if s.decoy else "entity_type"
    return {"file": doc.name, "language": s.lang, kind_key: s.label, "value": text[s.start:s.end],
            "start": s.start, "end": s.end}


def write_all(docs: list[Doc]) -> list[dict]:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        if old.is_file():
            old.unlink()
    lines, manifest = [], []
    for doc in docs:
        text, spans = doc.render()
        assert text.endswith("\n"), doc.name
        (HERE / doc.name).write_bytes(encode(text, doc.encoding))
        doc_lines = [ground_truth_line(doc, text, s) for s in spans]
        lines += doc_lines
        manifest.append({
            "file": doc.name, "doc_type": doc.kind, "encoding": "utf-16 (BOM)" if doc.encoding == "utf-16"
            else doc.encoding, "languages": sorted({s.lang for s in spans} | {doc.lang}),
            "entities": sum(1 for s in spans if not s.decoy), "decoys": sum(1 for s in spans if s.decoy)})
    with open(HERE / "ground_truth.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(HERE / "manifest.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return manifest


# --- self-check on the files as written --------------------------------------------------------------------

def _markup_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"<[^>]*>", text)]


def _is_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)   # "02.703.43.65" (a phone) has leading zeros: not an IP
        return True
    except ValueError:
        return False


# Every valid hit of these patterns must lie inside an annotation of the given
# types, or inside another entity (a phone-like group inside an IBAN is fine).
_SWEEPS = [  # (pattern, validity test, entity types that must cover a valid hit)
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), lambda s: True, {"EMAIL_ADDRESS"}),
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), std_iban.is_valid, {"IBAN_CODE"}),
    (re.compile(r"(?<![\d.])\d{2}[ .]?\d{2}[ .]?\d{2}[ .-]?\d{3}[ .-]?\d{2}(?![\d])"),
     lambda s: nn.is_valid(s) or bis.is_valid(s), {"BE_NATIONAL_NUMBER"}),
    (re.compile(r"\b\d{3}-\d{7}-\d{2}\b"), eid.is_valid, {"BE_ID_CARD_NUMBER"}),
    (re.compile(r"\b(?:\d{4} ){3}\d{4}\b"), lambda s: luhn.is_valid(s.replace(" ", "")), {"CREDIT_CARD"}),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), _is_ip, {"IP_ADDRESS"}),
    (re.compile(r"(?<![\w+])(?:\+|00)\d{2,3}[ (]"), lambda s: True, {"PHONE_NUMBER"}),
    (re.compile(r"[+*]{3}\d{3}/\d{4}/\d{5}[+*]{3}"), lambda s: True, {"OGM"}),
]


def _bic_problems(name: str, recs: list[dict]) -> list[str]:
    """A BIC follows its IBAN and belongs to that IBAN's bank (Belgium) or country."""
    out = []
    ibans = [r for r in recs if r.get("entity_type") == "IBAN_CODE"]
    for r in recs:
        if r.get("entity_type") != "BIC_CODE":
            continue
        before = [i for i in ibans if i["end"] <= r["start"] and r["start"] - i["end"] < 120]
        if not before:
            out.append(f"{name}: BIC {r['value']} has no IBAN just before it")
            continue
        account = std_iban.compact(before[-1]["value"])
        expected = be_iban.to_bic(account) if account.startswith("BE") else None
        if (expected or r["value"]) != r["value"] or r["value"][4:6] != account[:2]:
            out.append(f"{name}: BIC {r['value']} does not match IBAN {account}")
    return out


def self_check(manifest: list[dict]) -> None:
    by_file: dict[str, list[dict]] = {}
    with open(HERE / "ground_truth.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            by_file.setdefault(rec["file"], []).append(rec)
    problems = []
    for entry in manifest:
        name = entry["file"]
        encoding = "utf-16" if entry["encoding"].startswith("utf-16") else entry["encoding"]
        text = decode((HERE / name).read_bytes(), encoding)
        recs = by_file.get(name, [])
        for r in recs:
            if text[r["start"]:r["end"]] != r["value"]:
                problems.append(f"{name}: offsets {r['start']}-{r['end']} do not hold {r['value']!r}")
            elif "entity_type" in r:
                check_entity(r["entity_type"], r["value"])
            else:
                check_decoy(r["decoy"], r["value"])
        labelled = [(r["start"], r["end"], r.get("entity_type") or r.get("decoy")) for r in recs]
        for pattern, valid, labels in _SWEEPS:
            for m in pattern.finditer(text):
                covered = any(s <= m.start() and m.end() <= e and (lab in labels or lab in ENTITY_TYPES)
                              for s, e, lab in labelled)
                if valid(m.group()) and not covered:
                    problems.append(f"{name}: {m.group()!r} at {m.start()} is not annotated as {labels}")
        problems += _bic_problems(name, recs)
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            if len({len(r) for r in rows}) != 1:
                problems.append(f"{name}: rows of different lengths")
        if name.endswith(".json"):
            json.loads(text)
        if name.endswith(".html"):
            markup = _markup_ranges(text)
            for r in recs:
                if any(s < r["end"] and r["start"] < e for s, e in markup):
                    problems.append(f"{name}: {r['value']!r} is inside markup")
    if problems:
        raise SystemExit("SELF-CHECK FAILED\n" + "\n".join(problems))


def print_stats(manifest: list[dict]) -> None:
    entities, decoys, langs = Counter(), Counter(), Counter()
    with open(HERE / "ground_truth.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if "entity_type" in r:
                entities[r["entity_type"]] += 1
                langs[(r["language"], "entities")] += 1
            else:
                decoys[r["decoy"]] += 1
                langs[(r["language"], "decoys")] += 1
    files = Counter(m["file"].split("/")[1].split("_")[0] for m in manifest)
    print(f"{len(manifest)} documents:", dict(sorted(files.items())))
    print(f"entities ({sum(entities.values())}):")
    for k, n in sorted(entities.items()):
        print(f"  {k:<22}{n:>5}")
    print(f"decoys ({sum(decoys.values())}):")
    for k, n in sorted(decoys.items()):
        print(f"  {k:<22}{n:>5}")
    print("per language (entities / decoys):")
    for lang in ("fr", "nl", "de", "en"):
        print(f"  {lang}  {langs[(lang, 'entities')]:>5} / {langs[(lang, 'decoys')]}")


def main() -> None:
    docs = build_all()
    manifest = write_all(docs)
    self_check(manifest)
    print_stats(manifest)
    print("self-check passed: every ground-truth value matches the decoded file at its offsets")


if __name__ == "__main__":
    main()
