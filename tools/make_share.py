"""A synthetic file share for the batch-scan benchmark (``tools.bench_batch``): seeded, never committed.

    python -m tools.make_share /tmp/share --files 10000 [--seed 7]

Folders ``YEAR/MM-month/client-name/`` hold letters, e-mails and invoices of a
small Belgian firm with invented people in them: names, addresses, national
register numbers, IBANs (every identifier checksum-valid, checked with
python-stdnum), VAT numbers, phones, e-mail addresses, dates of birth.

The mix (shares of the files, drawn per file, so the counts vary a little):

- plain text: letters and invoices (.txt, 10 % of them in Windows-1252), notes
  (.md), exports (.csv, .json), web pages (.html);
- e-mails (.eml), some with an attachment (PDF, Word or CSV);
- Word (.docx) and Excel (.xlsx) files;
- born-digital PDFs (1-4 pages, text layer);
- scans that need OCR: PNG/JPEG pages and image-only PDFs (about 1 % of the
  files: OCR costs about a second a page);
- ZIP archives with 2-5 members;
- broken files (truncated PDFs and Word files, garbage named .pdf, empty files).

File ``i`` depends only on the seed and ``i``: the first N files of a larger
share are the share of N files. Every file holds its own values (a person, an
IBAN, a reference number), so no two files have the same content.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import time
import zipfile
from collections import Counter
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape as html_escape
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple
from xml.sax.saxutils import escape as xml_escape

from stdnum import iban as std_iban
from stdnum.be import iban as be_iban
from stdnum.be import nn as be_nn
from stdnum.be import vat as be_vat

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

# ------------------------------------------------------------------------------------------------ invented people
GIVEN = {
    "fr": ["Sophie", "Thierry", "Nathalie", "Gaëtan", "Isabelle", "Olivier", "Céline", "Jérôme", "Amélie",
           "François", "Hélène", "Benoît", "Chloé", "Sébastien", "Aurélie", "Laurent", "Manon", "Quentin", "Élise",
           "Mathieu"],
    "nl": ["Sanne", "Pieter", "Lotte", "Joris", "Eline", "Wouter", "Femke", "Bram", "Lien", "Koen",
           "Annelies", "Stijn", "Griet", "Thijs", "Nele", "Jef", "Marieke", "Dries", "Ine", "Tom"],
    "de": ["Jürgen", "Monika", "Lukas", "Sabine", "Matthias", "Anja", "Stefan", "Ursula"],
    "en": ["James", "Emily", "Daniel", "Sarah", "Michael", "Laura"],
}
FAMILY = {
    "fr": ["Dubois", "Lambert", "Dupont", "Delvaux", "Martin", "Lejeune", "Renard", "Leclercq", "Denis", "Collard",
           "Dumont", "Goffin", "Lemaire", "Hubert", "Mathieu", "Gilson", "Thiry", "Piron", "Henrard", "Massart"],
    "nl": ["Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
           "Van den Broeck", "Mertens", "Dierckx", "Verstraeten", "Vermeulen", "Van Damme", "De Backer",
           "Hermans", "Aerts", "Michiels", "Vandenberghe"],
    "de": ["Schmitz", "Kessler", "Margraff", "Heinen", "Lentz", "Cremer", "Hilgers", "Pauels"],
    "en": ["Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker"],
}
TOWNS = [("1000", "Bruxelles", "Brussel"), ("1050", "Ixelles", "Elsene"), ("1180", "Uccle", "Ukkel"),
         ("1200", "Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe"), ("4000", "Liège", None),
         ("5000", "Namur", None), ("6000", "Charleroi", None), ("7000", "Mons", None), ("1300", "Wavre", None),
         ("1348", "Louvain-la-Neuve", None), ("2000", "Antwerpen", None), ("9000", "Gent", None),
         ("3000", "Leuven", None), ("8000", "Brugge", None), ("2800", "Mechelen", None), ("3500", "Hasselt", None),
         ("8500", "Kortrijk", None), ("9300", "Aalst", None), ("4700", "Eupen", None), ("4780", "Sankt Vith", None)]
STREETS = {
    "fr": ["Rue de la Station", "Avenue Louise", "Rue du Marché", "Chaussée de Waterloo", "Rue des Écoles",
           "Boulevard d'Avroy", "Rue Haute", "Avenue des Tilleuls", "Place Saint-Lambert", "Rue de Namur"],
    "nl": ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Schoolstraat",
           "Kapelstraat", "Veldstraat", "Meir", "Korenmarkt"],
    "de": ["Hauptstraße", "Kirchstraße", "Bahnhofstraße", "Aachener Straße"],
    "en": ["Rue de la Loi", "Avenue de Cortenbergh", "Rue Belliard"],
}
MAIL_DOMAINS = ["skynet.be", "telenet.be", "proximus.be", "gmail.com", "hotmail.com", "outlook.be", "scarlet.be"]
# Bank codes python-stdnum knows (stdnum.be.iban checks the bank): BNP Paribas Fortis, ING, KBC, Belfius, Argenta.
BANKS = ["001", "063", "068", "096", "143", "310", "363", "734", "735", "973", "979", "000", "290"]
COMPANY_WORDS = ["Optique", "Boulangerie", "Garage", "Immo", "Fiduciaire", "Bouwbedrijf", "Apotheek", "Cabinet",
                 "Transport", "Schrijnwerkerij", "Librairie", "Tuinaanleg", "Consult", "Dental", "Elektro"]
COMPANY_TAILS = ["du Marché", "Central", "Van Hoof", "Delta", "Meuse", "Schelde", "Horizon", "Ardennes",
                 "De Linde", "Sablon", "Kempen", "Nova", "Atlas", "Lys", "Zénith"]
FORMS = {"fr": "SRL", "nl": "BV", "de": "GmbH", "en": "SA"}
MONTHS = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre"],
          "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                 "november", "december"],
          "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}
FOLDER_MONTHS = ["01-janvier", "02-fevrier", "03-maart", "04-april", "05-mai", "06-juni", "07-juillet",
                 "08-augustus", "09-septembre", "10-oktober", "11-novembre", "12-december"]


def _iban(bank: str, account: int) -> str:
    body10 = f"{bank}{account:07d}"
    bban = f"{body10}{int(body10) % 97 or 97:02d}"
    return "BE" + std_iban.calc_check_digits("BE00" + bban) + bban


# Only banks python-stdnum accepts (its bank look-up is slow: checked once here, not per number).
BANKS = [bank for bank in BANKS if be_iban.is_valid(_iban(bank, 1234567))]


def valid_iban(rng: random.Random) -> str:
    return _iban(rng.choice(BANKS), rng.randrange(10 ** 7))


def valid_nn(rng: random.Random, birth: dt.date, sex: str) -> str:
    while True:
        serial = rng.randrange(1, 997)
        if (serial % 2 == 1) != (sex == "M"):
            serial += 1
        base = f"{birth:%y%m%d}{serial:03d}"
        value = int(("2" + base) if birth.year >= 2000 else base)
        number = base + f"{97 - value % 97:02d}"
        if be_nn.is_valid(number):
            return number


def valid_vat(rng: random.Random) -> str:
    while True:
        first8 = f"0{rng.randrange(2_000_000, 9_999_999):07d}"
        number = first8 + f"{97 - int(first8) % 97:02d}"
        if be_vat.is_valid(number):
            return number


def fmt_iban(number: str) -> str:
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


def fmt_nn(number: str, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"
    return number


def fmt_vat(number: str) -> str:
    return f"BE {number[0:4]}.{number[4:7]}.{number[7:10]}"


def mobile(rng: random.Random) -> str:
    digits = f"4{rng.choice('7589')}{rng.randrange(10 ** 7):07d}"
    style = rng.randrange(3)
    if style == 0:
        return f"0{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:9]}"
    if style == 1:
        return f"+32 {digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:9]}"
    return f"0{digits[:3]}/{digits[3:5]}.{digits[5:7]}.{digits[7:9]}"


def landline(rng: random.Random) -> str:
    zone = rng.choice(["2", "3", "4", "9", "10", "81", "71"])
    rest = f"{rng.randrange(10 ** (8 - len(zone))):0{8 - len(zone)}d}"
    return f"0{zone} {rest[:-4]} {rest[-4:-2]} {rest[-2:]}"


def ascii_fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Person:
    def __init__(self, rng: random.Random, lang: str):
        self.lang = lang
        self.sex = rng.choice("MF")
        self.given = rng.choice(GIVEN[lang])
        self.family = rng.choice(FAMILY[lang])
        self.birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(365 * 66))
        self.nn = valid_nn(rng, self.birth, self.sex)
        self.nn_text = fmt_nn(self.nn, rng)
        postcode, town, town_nl = rng.choice(TOWNS)
        self.street = f"{rng.choice(STREETS[lang])} {rng.randrange(1, 240)}"
        self.town = f"{postcode} {town_nl if (lang == 'nl' and town_nl) else town}"
        self.mobile = mobile(rng)
        self.phone = landline(rng)
        local = ascii_fold(f"{self.given}.{self.family}".lower().replace(" ", ""))
        self.email = f"{local}{rng.choice(['', str(rng.randrange(10, 99))])}@{rng.choice(MAIL_DOMAINS)}"
        self.iban = valid_iban(rng)

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


class Company:
    def __init__(self, rng: random.Random, lang: str):
        self.name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_TAILS)} {FORMS[lang]}"
        postcode, town, _ = rng.choice(TOWNS)
        self.street = f"{rng.choice(STREETS[lang])} {rng.randrange(1, 400)}"
        self.town = f"{postcode} {town}"
        self.vat = valid_vat(rng)
        self.iban = valid_iban(rng)
        self.phone = landline(rng)
        slug = ascii_fold(self.name.split()[0] + self.name.split()[1]).lower().replace("'", "")
        self.email = f"{rng.choice(['info', 'facturation', 'boekhouding', 'contact'])}@{slug}.be"


def long_date(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    return {"fr": f"{day.day} {month} {day.year}", "nl": f"{day.day} {month} {day.year}",
            "de": f"{day.day}. {month} {day.year}", "en": f"{day.day} {month} {day.year}"}[lang]


def amount(rng: random.Random) -> str:
    return f"{rng.randrange(20, 9000)},{rng.randrange(100):02d}"


class Context:
    """Everything one file talks about: drawn from the file's own random generator."""

    def __init__(self, rng: random.Random, index: int, year: int, month: int):
        self.rng = rng
        self.index = index
        self.lang = rng.choices(["fr", "nl", "de", "en"], weights=[46, 44, 5, 5])[0]
        self.person = Person(rng, self.lang)
        self.other = Person(rng, rng.choice(["fr", "nl"]))
        self.company = Company(rng, self.lang)
        self.day = dt.date(year, month, rng.randrange(1, 29))
        self.ref = f"{year}/{rng.choice(['IM', 'FA', 'DS', 'RH'])}/{index:05d}{rng.randrange(100):02d}"
        self.invoice = f"{year}-{index:05d}"
        self.amount = amount(rng)
        self.card = f"{rng.randrange(590, 600)}-{rng.randrange(10 ** 7):07d}-{rng.randrange(100):02d}"


# ------------------------------------------------------------------------------------------------ text templates
def letter(c: Context) -> str:
    p, o, co, r = c.person, c.other, c.company, c.rng
    date = long_date(c.day, c.lang)
    if c.lang == "fr":
        body = [
            f"{p.full}", p.street, p.town, f"Tél. : {p.mobile}", f"E-mail : {p.email}", "",
            co.name, "Service clientèle", co.street, co.town, "",
            f"{p.town.split(' ', 1)[1]}, le {date}", "",
            f"Concerne : votre dossier {c.ref} — facture {c.invoice}", "",
            "Madame, Monsieur,", "",
            f"J'ai bien reçu votre courrier concernant la facture {c.invoice} d'un montant de {c.amount} EUR. "
            f"Ce montant a été réglé par virement depuis mon compte {fmt_iban(p.iban)} "
            f"(titulaire : {p.full}). Mon numéro de registre national est le {p.nn_text}.",
            "",
            f"Pour toute question, mon fils {o.given} {p.family} peut être joint au {o.mobile} "
            f"ou par e-mail ({o.email}). Il habite {o.street}, {o.town}.",
            "", r.choice(["Je vous demande de clôturer ce dossier.", "Merci de me confirmer la bonne réception.",
                          "Je reste à votre disposition pour tout renseignement complémentaire."]), "",
            "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.", "", p.full]
    elif c.lang == "nl":
        body = [
            f"{p.full}", p.street, p.town, f"Tel.: {p.mobile}", f"E-mail: {p.email}", "",
            co.name, "Klantendienst", co.street, co.town, "",
            f"{p.town.split(' ', 1)[1]}, {date}", "",
            f"Betreft: uw dossier {c.ref} — factuur {c.invoice}", "",
            "Geachte mevrouw, geachte heer,", "",
            f"Ik ontving uw brief over factuur {c.invoice} van {c.amount} EUR. Dat bedrag werd betaald "
            f"met een overschrijving van mijn rekening {fmt_iban(p.iban)} (houder: {p.full}). "
            f"Mijn rijksregisternummer is {p.nn_text}.",
            "",
            f"Voor vragen kunt u terecht bij mijn dochter {o.given} {p.family}, op {o.mobile} "
            f"of via {o.email}. Zij woont in de {o.street}, {o.town}.",
            "", r.choice(["Gelieve dit dossier af te sluiten.", "Graag een bevestiging van ontvangst.",
                          "Ik blijf ter beschikking voor verdere inlichtingen."]), "",
            "Met vriendelijke groeten,", "", p.full]
    elif c.lang == "de":
        body = [
            p.full, p.street, p.town, f"Tel.: {p.mobile}", "", co.name, co.street, co.town, "",
            f"{p.town.split(' ', 1)[1]}, den {date}", "",
            f"Betreff: Ihre Akte {c.ref}, Rechnung {c.invoice}", "",
            "Sehr geehrte Damen und Herren,", "",
            f"der Betrag von {c.amount} EUR wurde von meinem Konto {fmt_iban(p.iban)} überwiesen. "
            f"Meine Nationalregisternummer lautet {p.nn_text}, geboren am {p.birth:%d.%m.%Y}.",
            f"Bei Rückfragen erreichen Sie mich unter {p.mobile} oder {p.email}.", "",
            "Mit freundlichen Grüßen", "", p.full]
    else:
        body = [
            p.full, p.street, p.town, "", co.name, co.street, co.town, "", date, "",
            f"Re: file {c.ref}, invoice {c.invoice}", "", "Dear Sir or Madam,", "",
            f"The amount of {c.amount} EUR was paid from account {fmt_iban(p.iban)} held by {p.full}. "
            f"My Belgian national number is {p.nn_text} and my identity card number is {c.card}.",
            f"You can reach me on {p.mobile} or at {p.email}.", "", "Yours faithfully,", "", p.full]
    return "\n".join(body) + "\n"


def invoice_lines(c: Context) -> List[Tuple[str, int, str]]:
    items = ["Consultation", "Monture", "Verres progressifs", "Onderhoud", "Herstelling", "Transport",
             "Honoraires", "Installatie", "Wartung", "Licence", "Verzending", "Déplacement"]
    return [(c.rng.choice(items), c.rng.randrange(1, 6), amount(c.rng)) for _ in range(c.rng.randrange(2, 7))]


def invoice(c: Context) -> str:
    p, co = c.person, c.company
    words = {"fr": ("FACTURE", "Client", "Date", "Échéance", "Total", "À payer sur le compte",
                    "Communication"),
             "nl": ("FACTUUR", "Klant", "Datum", "Vervaldag", "Totaal", "Te betalen op rekening", "Mededeling"),
             "de": ("RECHNUNG", "Kunde", "Datum", "Fällig", "Gesamt", "Zahlbar auf Konto", "Mitteilung"),
             "en": ("INVOICE", "Customer", "Date", "Due", "Total", "Pay to account", "Reference")}[c.lang]
    lines = [co.name, co.street, co.town, f"TVA/BTW {fmt_vat(co.vat)}", f"Tel. {co.phone} — {co.email}", "",
             f"{words[0]} {c.invoice}", f"{words[2]}: {c.day:%d/%m/%Y}",
             f"{words[3]}: {(c.day + dt.timedelta(days=30)):%d/%m/%Y}", "",
             f"{words[1]}: {p.full}", p.street, p.town, f"{p.email} / {p.mobile}", ""]
    for item, qty, price in invoice_lines(c):
        lines.append(f"{item:<28} {qty:>3} x {price:>10} EUR")
    ogm = f"{c.index:010d}"
    ogm += f"{int(ogm) % 97 or 97:02d}"
    lines += ["", f"{words[4]}: {c.amount} EUR", f"{words[5]} {fmt_iban(co.iban)} (BIC GEBABEBB)",
              f"{words[6]}: +++{ogm[:3]}/{ogm[3:7]}/{ogm[7:]}+++", ""]
    return "\n".join(lines)


def note(c: Context) -> str:
    p, o = c.person, c.other
    return "\n".join([
        f"# Dossier {c.ref}", "", f"- Client : **{p.full}** (né(e) le {p.birth:%d/%m/%Y})",
        f"- NN : {p.nn_text}", f"- Adresse : {p.street}, {p.town}", f"- GSM : {p.mobile}",
        f"- Compte : {fmt_iban(p.iban)}",
        "", "## Suivi", "",
        f"{c.day:%d/%m/%Y} — appel de {o.full} ({o.phone}), demande une copie du contrat.",
        f"{(c.day + dt.timedelta(days=3)):%d/%m/%Y} — envoyé par e-mail à {o.email}.",
        f"{(c.day + dt.timedelta(days=9)):%d/%m/%Y} — rappel, montant ouvert {c.amount} EUR.", ""])


def people_rows(c: Context, count: int) -> List[Dict[str, str]]:
    rows = []
    for _ in range(count):
        q = Person(c.rng, c.rng.choice(["fr", "nl"]))
        rows.append({"name": q.full, "birth_date": f"{q.birth:%d/%m/%Y}", "national_number": q.nn_text,
                     "street": q.street, "town": q.town, "phone": q.mobile, "email": q.email,
                     "iban": fmt_iban(q.iban), "amount_eur": amount(c.rng)})
    return rows


def csv_export(c: Context) -> str:
    out = io.StringIO()
    rows = people_rows(c, c.rng.randrange(4, 16))
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=c.rng.choice([";", ","]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def json_export(c: Context) -> str:
    return json.dumps({"export": c.ref, "created": c.day.isoformat(), "company": c.company.name,
                       "debtors": people_rows(c, c.rng.randrange(3, 9))}, ensure_ascii=False, indent=1)


def html_page(c: Context) -> str:
    p = c.person
    rows = "".join(f"<tr><td>{html_escape(r['name'])}</td><td>{html_escape(r['email'])}</td>"
                   f"<td>{html_escape(r['phone'])}</td></tr>" for r in people_rows(c, c.rng.randrange(2, 6)))
    return (f"<!DOCTYPE html><html lang='{c.lang}'><head><meta charset='utf-8'><title>{c.ref}</title></head><body>"
            f"<h1>{html_escape(c.company.name)}</h1><p>Contact: {html_escape(p.full)}, {html_escape(p.street)}, "
            f"{html_escape(p.town)}, {p.mobile}, <a href='mailto:{p.email}'>{p.email}</a></p>"
            f"<table><tr><th>Naam</th><th>E-mail</th><th>Tel</th></tr>{rows}</table></body></html>\n")


def mail_body(c: Context) -> Tuple[str, str]:
    p, o = c.person, c.other
    if c.lang == "nl":
        subject = f"Uw dossier {c.ref}"
        text = (f"Beste {o.given},\n\nIn bijlage vind je de gegevens van {p.full} (rijksregisternummer "
                f"{p.nn_text}, geboren op {p.birth:%d/%m/%Y}). De terugbetaling gebeurt op {fmt_iban(p.iban)}.\n"
                f"Adres: {p.street}, {p.town}. GSM {p.mobile}.\n\nMet vriendelijke groet,\n{c.company.name}\n"
                f"{c.company.phone}\n")
    else:
        subject = f"Votre dossier {c.ref}" if c.lang == "fr" else f"Your file {c.ref}"
        text = (f"Bonjour {o.given},\n\nVoici les coordonnées de {p.full} (NN {p.nn_text}, né(e) le "
                f"{p.birth:%d/%m/%Y}). Le remboursement se fera sur le compte {fmt_iban(p.iban)}.\n"
                f"Adresse : {p.street}, {p.town}. GSM {p.mobile}.\n\nBien à vous,\n{c.company.name}\n"
                f"{c.company.phone}\n")
    if c.rng.random() < 0.4:
        text += f"\n> Le {c.day:%d/%m/%Y}, {p.full} <{p.email}> a écrit :\n> Pouvez-vous rappeler au {p.phone} ?\n"
    return subject, text


def email_bytes(c: Context, attachment: Optional[Tuple[str, bytes, str, str]] = None) -> bytes:
    subject, text = mail_body(c)
    message = EmailMessage()
    message["From"] = f"{c.company.name} <{c.company.email}>"
    message["To"] = f"{c.other.full} <{c.other.email}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime(c.day.year, c.day.month, c.day.day, 9 + c.index % 9,
                                                  c.index % 60, tzinfo=dt.timezone.utc))
    message["Message-ID"] = f"<{c.ref.replace('/', '.')}.{c.index}@bench.invalid>"
    message.set_content(text)
    if attachment:
        name, data, maintype, subtype = attachment
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


# ------------------------------------------------------------------------------------------------ binary formats
_DOCX_TEMPLATE: Optional[Tuple[bytes, str, str]] = None


def _docx_template() -> Tuple[bytes, str, str]:
    """python-docx's empty document, once: a ZIP of every member but document.xml (compressed once), and
    document.xml split where the body's paragraphs go."""
    global _DOCX_TEMPLATE
    if _DOCX_TEMPLATE is None:
        import docx

        buffer = io.BytesIO()
        document = docx.Document()
        document.add_paragraph("@@BODY@@")
        document.save(buffer)
        out = io.BytesIO()
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                if name == "word/document.xml":
                    xml = source.read(name).decode("utf-8")
                else:
                    target.writestr(name, source.read(name))
        start = xml.index("<w:p>") if "<w:p>" in xml else xml.index("<w:p ")
        end = xml.index("</w:p>", start) + len("</w:p>")
        _DOCX_TEMPLATE = (out.getvalue(), xml[:start], xml[end:])
    return _DOCX_TEMPLATE


def docx_bytes(text: str) -> bytes:
    """A Word file holding ``text`` (one paragraph per line): the template with its document.xml appended."""
    base, head, tail = _docx_template()
    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r></w:p>'
                         for line in text.splitlines())
    out = io.BytesIO(base)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", head + paragraphs + tail)
    return out.getvalue()


def xlsx_bytes(c: Context) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Debiteurs"
    rows = people_rows(c, c.rng.randrange(5, 20))
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _latin1(text: str) -> str:
    return text.replace("—", "-").replace("’", "'").encode("latin-1", "replace").decode("latin-1")


def _pdf_string(text: str) -> bytes:
    data = _latin1(text).encode("latin-1")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(text: str, width: int = 95) -> List[str]:
    lines = []
    for line in text.splitlines():
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        lines.append(line)
    return lines


def text_pdf(pages: List[str]) -> bytes:
    """A born-digital PDF of text pages, written directly (Helvetica, WinAnsi; fpdf2's line breaking is too
    slow for thousands of files): one content stream per page, compressed."""
    import zlib

    objects: List[bytes] = []   # object n is objects[n - 1]
    font_id, pages_id = 3, 2
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for text in pages:
        body = [b"BT /F1 10 Tf 12 TL 56 790 Td"]
        for line in _wrap(text)[:62]:
            body.append(_pdf_string(line) + b" Tj T*")
        body.append(b"ET")
        stream = zlib.compress(b"\n".join(body))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R "
                       b">> >> /Contents %d 0 R >>" % (pages_id, font_id, content_id))
        kids.append(len(objects))
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    return pdf_file(objects)


def pdf_file(objects: List[bytes]) -> bytes:
    """A PDF of these object bodies (object n is objects[n - 1], object 1 the catalogue) with its
    cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bytes(c: Context) -> bytes:
    """A born-digital PDF: 1-4 pages (letter, invoice, tables of people)."""
    count = c.rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
    pages = [letter(c), invoice(c)][:count]
    while len(pages) < count:
        pages.append("\n".join("; ".join(r.values()) for r in people_rows(c, 12)))
    return text_pdf(pages)


_FONTS: dict = {}


def _font(size: int):
    from PIL import ImageFont

    if size not in _FONTS:
        _FONTS[size] = ImageFont.truetype(FONT, size)
    return _FONTS[size]


def page_image(c: Context, text: str, dpi: int = 150):
    """A scanned A4 page: the text rendered in black on off-white, slightly grey, at ``dpi``."""
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 244)
    draw = ImageDraw.Draw(image)
    size = int(dpi * 11 / 72)
    font = _font(size)
    x, y = int(dpi * 0.9), int(dpi * 0.9)
    for line in text.splitlines():
        while len(line) > 80:  # wrap long lines
            cut = line.rfind(" ", 0, 80)
            cut = cut if cut > 0 else 80
            draw.text((x, y), line[:cut], fill=25, font=font)
            y += int(size * 1.45)
            line = line[cut:].lstrip()
        draw.text((x, y), line, fill=25, font=font)
        y += int(size * 1.45)
        if y > height - dpi:
            break
    return image


def scan_image_bytes(c: Context, fmt: str) -> bytes:
    image = page_image(c, letter(c))
    out = io.BytesIO()
    if fmt == "png":
        image.save(out, "PNG", dpi=(150, 150))
    else:
        image.save(out, "JPEG", quality=80, dpi=(150, 150))
    return out.getvalue()


def scan_pdf_bytes(c: Context) -> bytes:
    """An image-only PDF (a scanner's output): 1-2 JPEG pages, no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for text in [letter(c), invoice(c)][:c.rng.choice([1, 1, 2])]:
        out = io.BytesIO()
        page_image(c, text).save(out, "JPEG", quality=75, dpi=(150, 150))
        out.seek(0)
        pdf.add_page()
        pdf.image(out, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def zip_bytes(c: Context) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(c.rng.randrange(2, 6)):
            kind = c.rng.choice(["txt", "csv", "docx", "pdf", "eml"])
            name = f"{kind}_{c.index:05d}_{number}.{kind}"
            if kind == "txt":
                data = letter(c).encode("utf-8")
            elif kind == "csv":
                data = csv_export(c).encode("utf-8")
            elif kind == "docx":
                data = docx_bytes(letter(c))
            elif kind == "pdf":
                data = pdf_bytes(c)
            else:
                data = email_bytes(c)
            archive.writestr(f"dossier-{c.ref.replace('/', '-')}/{name}", data)
    return out.getvalue()


def broken_bytes(c: Context) -> Tuple[str, bytes]:
    """A file that cannot be read as what it claims to be: (extension, bytes)."""
    kind = c.rng.choice(["truncated_pdf", "truncated_docx", "garbage_pdf", "empty_pdf", "truncated_png",
                         "garbage_docx"])
    if kind == "truncated_pdf":
        data = pdf_bytes(c)
        return "pdf", data[:len(data) // 3]
    if kind == "truncated_docx":
        data = docx_bytes(letter(c))
        return "docx", data[:len(data) // 2]
    if kind == "garbage_pdf":
        return "pdf", b"%PDF-1.7\n" + c.rng.randbytes(c.rng.randrange(2000, 20000))
    if kind == "empty_pdf":
        return "pdf", b""
    if kind == "truncated_png":
        data = scan_image_bytes(c, "png")
        return "png", data[:4096]
    return "docx", b"PK\x03\x04" + c.rng.randbytes(c.rng.randrange(500, 5000))


# ------------------------------------------------------------------------------------------------ the mix
def _text(make: Callable[[Context], str], ext: str) -> Callable[[Context], Tuple[str, bytes]]:
    def build(c: Context) -> Tuple[str, bytes]:
        text = make(c)
        # A tenth of the plain text files in Windows-1252, as old Windows tools write them.
        encoding = "cp1252" if ext == "txt" and c.rng.random() < 0.1 else "utf-8"
        return ext, text.replace("—", "-").encode(encoding, "replace")
    return build


def _email(c: Context) -> Tuple[str, bytes]:
    attachment = None
    roll = c.rng.random()
    if roll < 0.08:
        attachment = (f"facture_{c.invoice}.pdf", pdf_bytes(c), "application", "pdf")
    elif roll < 0.12:
        attachment = (f"courrier_{c.index}.docx", docx_bytes(letter(c)), "application",
                      "vnd.openxmlformats-officedocument.wordprocessingml.document")
    elif roll < 0.16:
        attachment = (f"export_{c.index}.csv", csv_export(c).encode("utf-8"), "text", "csv")
    return "eml", email_bytes(c, attachment)


# (kind, share in per mille, builder)
MIX: List[Tuple[str, int, Callable[[Context], Tuple[str, bytes]]]] = [
    ("letter.txt", 250, _text(letter, "txt")),
    ("invoice.txt", 80, _text(invoice, "txt")),
    ("note.md", 30, _text(note, "md")),
    ("export.csv", 100, _text(csv_export, "csv")),
    ("export.json", 20, _text(json_export, "json")),
    ("page.html", 20, _text(html_page, "html")),
    ("mail.eml", 220, _email),
    ("letter.docx", 120, lambda c: ("docx", docx_bytes(c.rng.choice([letter, invoice])(c)))),
    ("export.xlsx", 10, lambda c: ("xlsx", xlsx_bytes(c))),
    ("born-digital.pdf", 120, lambda c: ("pdf", pdf_bytes(c))),
    ("scan.png", 3, lambda c: ("png", scan_image_bytes(c, "png"))),
    ("scan.jpg", 3, lambda c: ("jpg", scan_image_bytes(c, "jpg"))),
    ("scan.pdf", 4, lambda c: ("pdf", scan_pdf_bytes(c))),
    ("archive.zip", 15, lambda c: ("zip", zip_bytes(c))),
    ("broken", 5, broken_bytes),
]
assert sum(share for _, share, _ in MIX) == 1000
CLIENTS = 8  # client folders per month (about 17 files a folder in 10,000 files)
CLIENT_NAMES = [f"{ascii_fold(family).lower().replace(' ', '-')}-{given.lower()}"
                for family, given in zip(FAMILY["fr"] + FAMILY["nl"], GIVEN["nl"] + GIVEN["fr"])]


def file_for(seed: int, index: int) -> Tuple[str, str, bytes, float]:
    """(kind, relative path, content, mtime) of file ``index``: a function of the seed and the index only."""
    rng = random.Random(seed * 1_000_003 + index)
    year = 2019 + rng.randrange(6)
    month = rng.randrange(1, 13)
    c = Context(rng, index, year, month)
    kind, _, build = rng.choices(MIX, weights=[share for _, share, _ in MIX])[0]
    ext, data = build(c)
    client = CLIENT_NAMES[(year * 12 + month + rng.randrange(CLIENTS)) % len(CLIENT_NAMES)]
    stem = kind.split(".")[0]
    relative = f"{year}/{FOLDER_MONTHS[month - 1]}/{client}/{stem}_{index:05d}.{ext}"
    mtime = dt.datetime(year, month, c.day.day, 8 + index % 10, index % 60, tzinfo=dt.timezone.utc).timestamp()
    return kind, relative, data, mtime


def make_share(target: Path, files: int = 10_000, seed: int = 7) -> Dict[str, int]:
    """Write files 0..files-1 under ``target``; returns the count per kind."""
    counts: Counter = Counter()
    made = set()
    for index in range(files):
        kind, relative, data, mtime = file_for(seed, index)
        path = target / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
        counts[kind] += 1
    return dict(sorted(counts.items()))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder to fill (created; should be empty)")
    parser.add_argument("--files", type=int, default=10_000, help="number of files (10000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (7)")
    args = parser.parse_args(argv)
    if args.target.exists() and any(args.target.iterdir()):
        parser.error(f"{args.target} is not empty")
    started = time.perf_counter()
    counts = make_share(args.target, args.files, args.seed)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in args.target.rglob("*") if p.is_file())
    print(json.dumps({"files": args.files, "seconds": round(seconds, 1), "bytes": size, "kinds": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
