"""Postal addresses (ADDRESS), Belgian first: street, number, box, postcode, municipality.

``Rue de la Loi 16, 1000 Bruxelles``, ``Chaussée de Wavre 1120 bte 4, 1160 Auderghem``,
``Zennestraat 32 bus 20, 1000 Brussel``, ``Bahnhofstraße 12, 4700 Eupen``, on one
line or two. Neighbouring countries' forms (``16 rue X, 75001 Paris``,
``Kerkstraat 1, 1012 AB Amsterdam``, ``10 Baker Street, London NW1 6XE``) too.
A street with its number but no postcode is reported with a lower score.

>>> r = AddressRecognizer()
>>> [text[x.start:x.end] for text in ["Adresse : Zennestraat 32 bus 20, 1000 Brussel."] for x in r.analyze(text, [])]
['Zennestraat 32 bus 20, 1000 Brussel']
"""

from __future__ import annotations

import re
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.recognizers.base import make_result

_UP = r"[A-ZÀ-ÖØ-Þ]"
_WORD = rf"(?:[dlDL]['’])?{_UP}[\w'’.\-]*"  # Loi, d'Avroy, D'AVROY
_PARTICLE = r"(?:de|la|le|du|des|l'|d'|l’|d’|van|der|den|het|'t|von|am|an|im|zum|zur|sur|aux|et|en|op|ter|ten)"
_NAME = rf"(?:(?:{_WORD}|{_PARTICLE})[ \t]+){{0,5}}{_WORD}"  # "de la Loi", "Jean Jaurès", "Sint-Jans"
_FR_TYPES = r"(?i:" + (
    r"Rue|Avenue|Av\.|Ave\.|Boulevard|Bd\.?|Bld\.?|Chaussée|Chée|Ch\.|Place|Pl\.|Square|Quai|Allée|Impasse|"
    r"Chemin|Route|Clos|Drève|Galerie|Passage|Rond-Point|Sentier|Parvis|Cours|Voie|Esplanade|Cité|Résidence|"
    r"Venelle|Ruelle|Rampe|Montagne|Val|Vieux\s+Marché|Grand-Place|Grand\s+Place"
) + ")"
STREET_SUFFIX = _NL_DE_SUFFIX = (
    r"straat|laan|lei|weg|dreef|baan|plein|steenweg|kaai|markt|vest|wal|singel|dijk|gracht|pad|hof|park|"
    r"berg|veld|poort|steeg|dries|kouter|meers|akker|hoek|heide|bos|boulevard|"
    r"straße|strasse|straBe|str\.|str|gasse|"  # straBe: OCR reads ß as B
    r"platz|allee|ring|damm|ufer|chaussee|pfad|stiege|garten|bahn|markt|gracht|"
    r"kade|plantsoen|bolwerk|dyk|dam|strjitte"
)
STREET = (
    rf"(?:(?:{_FR_TYPES})[ \t]+{_NAME}"  # Rue de la Loi
    rf"|(?:{_WORD}[ \t]+){{0,3}}(?:{_UP}[\w'’\-]*)?(?i:{_NL_DE_SUFFIX}))"  # Grote Markt, Zennestraat
)
NUMBER = r"\d{1,4}(?:\s?[A-Za-z](?![\w]))?(?:\s?[/\-]\s?\d{1,4})?"
_BOX = r"(?:\s*,?\s*(?:bte|boîte|boite|bt|bus|box|b|app|apt|Bus|Bte)\.?\s*[A-Za-z0-9]{1,5}(?![\w]))?"
_SEP = r"(?:\s*[,–\-]\s*|[ \t]*\r?\n[ \t]*|\s+)"
_TOWN = rf"{_UP}[\w'’\-]*(?:[ \-](?:{_UP}[\w'’\-]*|sur|lez|lès|les|aan|de|den|la|le|l'|\([\w\-. ]+\))){{0,3}}"
_BE_POSTCODE = r"(?:B-|BE-|B\s)?[1-9]\d{3}"
_FOREIGN_POSTCODE = r"(?:[1-9]\d{3}\s?[A-Z]{2}|(?:F-|D-|L-)?\d{5}|L-\d{4})"

_LOW = "a-zà-öø-ÿß"
# Capitalised words that stand before a number and a postcode without being a street.
_NOT_STREETS = (
    r"Facture|Factuur|Rechnung|Invoice|Total|Totaal|Montant|Bedrag|Betrag|Amount|Contrat|Contract|Vertrag|"
    r"Dossier|Client|Klant|Kunde|Customer|Page|Pagina|Seite|Article|Artikel|Bus|Box|Boîte|Postbus|Bte"
)

_SHAPES = (
    ("street, number, postcode, town", 0.85, re.compile(
        rf"(?<![\w]){STREET}\s+{NUMBER}{_BOX}{_SEP}(?:{_BE_POSTCODE}|{_FOREIGN_POSTCODE}),?\s+{_TOWN}")),
    ("number, street, postcode, town", 0.85, re.compile(
        rf"(?<![\w])\d{{1,4}}(?:\s?bis|\s?ter)?,?\s+(?i:rue|avenue|boulevard|place|chemin|allée|impasse|quai)\s+{_NAME}"
        rf"{_SEP}(?:{_FOREIGN_POSTCODE}|{_BE_POSTCODE})\s+{_TOWN}")),
    ("UK street", 0.8, re.compile(
        rf"(?<![\w])\d{{1,4}}[A-Z]?\s+(?:{_WORD}\s+){{1,3}}(?:Street|St\.|Road|Rd\.|Avenue|Lane|Drive|Way|Close|Court|"
        rf"Place|Square|Terrace|Gardens|Crescent|Row)(?:{_SEP}{_TOWN})?{_SEP}[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}")),
    ("street without type, postcode, town", 0.7, re.compile(
        rf"(?<![\w])(?!(?:{_NOT_STREETS})\b){_UP}[{_LOW}'’\-]+(?:[ \t]+{_UP}[{_LOW}'’\-]+){{0,2}}[ \t]+{NUMBER}{_BOX}"
        rf"{_SEP}{_BE_POSTCODE}[ \t]+{_TOWN}")),
    ("post office box", 0.7, re.compile(
        r"(?<![\w])(?i:postbus|postfach|boîte\s+postale|p\.?\s?o\.?\s+box)\s+\d{1,6}(?![\w])")),
    ("street and number", 0.65, re.compile(rf"(?<![\w]){STREET}\s+{NUMBER}{_BOX}(?![\w])")),
)


class AddressRecognizer(EntityRecognizer):
    ENTITY = "ADDRESS"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         context=["adresse", "adres", "anschrift", "address", "domicile", "woonplaats", "wohnort"],
                         name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        results: List[RecognizerResult] = []
        for name, score, regex in _SHAPES:
            for match in regex.finditer(text):
                start, end = match.start(), match.end()
                value = match.group(0)
                end = start + len(value.rstrip(" \t\r\n,.-–"))
                if any(r.start < end and start < r.end for r in results):
                    continue
                results.append(make_result(self, start, end, score, name, context_checked=False))
        return results
