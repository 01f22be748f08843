"""People's names (PERSON): spaCy's NER, cleaned, plus the cues letters and invoices give.

spaCy's NER runs with one French pipeline for every language (the index has
no official Dutch, German or English model; see docs/person-detection.md).
It is right often in French and often enough elsewhere, but it also tags
greetings ("Beste Jan") and company names. So each span is trimmed to its
name-shaped tokens, and in Dutch, German and English it is kept only when a
token is a known given name or surname. Rules add what NER misses:

- a title before the name: M., Mme, Monsieur, Dhr., Mevrouw, Herr, Frau, Mr, Me;
- a label: Nom :, Naam:, Name:, titulaire du compte, rekeninghouder, Kontoinhaber;
- a greeting ("Beste Jan,", "Sehr geehrte Frau Müller,") or a signature after a closing line;
- a known given name followed by a surname ("Jan Janssens", "DUPONT Jean").

>>> r = PersonRecognizer()
>>> [text[x.start:x.end] for text in ["Madame Marie-Claire Van den Broeck"] for x in r.analyze(text, [])]
['Marie-Claire Van den Broeck']
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.recognizers.address import NUMBER, STREET, STREET_SUFFIX
from scanner.analyze.recognizers.base import make_result
from scanner.config import MODELS_DIR

log = logging.getLogger(__name__)

# Upper case: ASCII, Latin-1 and the Latin Extended-A capitals of Central European names
# (Łukasz, Šimon, Ștefan); lower case: any other letter (Ionuț, Yılmaz, Wróblewski).
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚ"
_LOWER = rf"^\W\d_{_UPPER}"
_TOKEN = (
    rf"(?:[{_UPPER}][{_LOWER}]+(?:[-'’][^\W\d_][{_LOWER}]+)*"  # Dupont, Marie-Claire
    rf"|[{_UPPER}]{{2,}}(?:[-'’][{_UPPER}]{{2,}})*"  # DUPONT
    rf"|(?:O|D|L)['’][{_UPPER}][{_LOWER}]+|Ma?c[{_UPPER}][{_LOWER}]+"  # D'Hondt, McDonald
    rf"|[{_UPPER}]\.(?:-[{_UPPER}]\.)?)"  # J., J.-P.
)
_PARTICLE = r"(?:van|de|der|den|het|'t|ter|ten|von|vom|zu|zum|le|la|du|des|d'|d’|di|da|dos|del|op|in)"
_NAME_WORD = rf"(?:{_TOKEN}|{_PARTICLE})(?![\w'’])"
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}"

_TITLES = (
    r"(?i:monsieur|madame|mademoiselle|mevrouw|meneer|mijnheer|juffrouw|de\s+heer|heer|herrn?|frau|docteur|"
    r"maître|meester|miss|mister)|Mme\.?|Mlle\.?|M\.|MM\.|Me|Dr\.?|Prof\.?|Dhr\.?|Mevr\.?|Mw\.|Mej\.|Mr\.?|"
    r"Mrs\.?|Ms\.?|Sir|Fr\."
)
_LABELS = (
    r"(?i:nom(?:\s+et\s+prénom)?|nom\s+complet|prénom|titulaire(?:\s+du\s+compte)?|débiteur|destinataire|"
    r"naam|volledige\s+naam|voornaam|achternaam|rekeninghouder|debiteur|contactpersoon|op\s+naam\s+van|"
    r"name|vorname|nachname|kontoinhaber(?:in)?|schuldner(?:in)?|ansprechpartner(?:in)?|"
    r"full\s+name|first\s+name|last\s+name|surname|account\s+holder|debtor|contact|attn\.?|"
    r"author|auteur|auteurs?|last\s+modified\s+by|modified\s+by|manager|creator|verfasser|autor|"
    r"à\s+l'attention\s+de|a\s+l'attention\s+de|t\.a\.v\.|z\.\s?hd\.?)|"
    r"Client|Klant|Kunde|Customer|From|Van|Von|De|To|Aan|An|À|Cc"  # short ones: capitalised only
)
_GREETINGS = (
    r"Beste|Geachte|Lieve|Cher|Chère|Chers|Bonjour|Bonsoir|Dear|Hallo|Hello|Hi|Liebe|Lieber|"
    r"Sehr\s+geehrte|Sehr\s+geehrter|Guten\s+Tag"
)
_CLOSINGS = (
    r"Cordialement|Bien\s+(?:à|a)\s+vous|Salutations\s+distinguées|Sincères\s+salutations|Bien\s+cordialement|"
    r"Veuillez\s+agréer[^\n]*|Met\s+vriendelijke\s+groet(?:en)?|Vriendelijke\s+groet(?:en)?|Hoogachtend|"
    r"Groeten|Mit\s+freundlichen\s+Grüßen|Freundliche\s+Grüße|Viele\s+Grüße|Hochachtungsvoll|"
    r"Kind\s+regards|Best\s+regards|Regards|Sincerely|Yours\s+sincerely|Yours\s+faithfully|Best"
)

_TITLE_RE = re.compile(rf"(?<![\w])(?:{_TITLES})[ \t]+(?P<name>{_NAME})")
# "Naam: Jan Peeters", "Nom : M. Dupont", JSON "name": "Jan Peeters"
_LABEL_RE = re.compile(
    rf"(?<![\w])[\"']?(?:{_LABELS})[\"']?[ \t]*[:：][ \t]*[\"']?(?:(?:{_TITLES})[ \t]+)?(?P<name>{_NAME})")
# An address block: the title alone on its line, the name on the next ("Herrn\nGünter Wintgens").
_TITLE_LINE_RE = re.compile(rf"(?m)^[ \t]*(?:{_TITLES})[ \t]*\r?\n[ \t]*(?P<name>{_NAME})[ \t]*$")
# A name on its own line right above a street line ("Birgit Thelen\nHauptstraße 16").
_ABOVE_ADDRESS_RE = re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME})[ \t]*\r?\n(?=[ \t]*{STREET}[ \t]+{NUMBER})")
# "Électricité Moreau SRL": a company named after a person is not that person.
_COMPANY_FORM = re.compile(
    r"^[ \t]*(?:SRL|SA|SPRL|SC|SCRL|SCS|SNC|BV|NV|BVBA|CV|CVBA|VOF|VZW|ASBL|GmbH|AG|KG|OHG|UG|Ltd|LLC|LLP|"
    r"Inc|PLC|SE|SAS|SARL|EURL|& Co|en Zonen|& Fils)\b\.?")
_GREETING_RE = re.compile(rf"(?<![\w])(?:{_GREETINGS})[ \t]+(?:(?:{_TITLES})[ \t]+)?(?P<name>{_NAME})[ \t]*[,!\n]")
_SIGNATURE_RE = re.compile(rf"(?m)^[ \t]*(?:{_CLOSINGS})[ \t]*[,.!]?[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*(?P<name>{_NAME})[ \t]*$")
_TOKEN_RE = re.compile(_TOKEN)
_PARTICLE_RE = re.compile(rf"^{_PARTICLE}$")
_NAME_RE = re.compile(_NAME)

# Capitalised words that follow a title or a label but are not names.
_NOT_NAMES = {
    "le", "la", "les", "président", "présidente", "directeur", "directrice", "juge", "huissier", "notaire",
    "maire", "bourgmestre", "ministre", "avocat", "docteur", "voorzitter", "directeur", "minister",
    "burgemeester", "notaris", "advocaat", "deurwaarder", "präsident", "direktor", "richter", "bürgermeister",
    "rechtsanwalt", "president", "director", "judge", "mayor", "madame", "monsieur", "mevrouw", "heer",
    "herr", "frau", "mr", "mrs", "ms", "client", "cliente", "klant", "kunde", "customer", "service",
    "facture", "factuur", "rechnung", "invoice", "objet", "betreft", "betreff", "subject", "date", "datum",
    "iban", "bic", "tva", "btw", "mwst", "vat", "tel", "tél", "fax", "gsm", "email", "e-mail", "adresse",
    "adres", "address", "référence", "referentie", "referenz", "reference", "montant", "bedrag", "betrag",
    "amount", "total", "totaal", "gesamt", "merci", "dank", "danke", "thanks", "thank", "bonjour", "hello",
    "madame", "mesdames", "messieurs", "dames", "heren", "damen", "herren", "sir", "all", "tous", "allemaal",
    "team", "équipe", "support", "helpdesk", "info", "contact", "sa", "srl", "sprl", "nv", "bv", "bvba",
    "gmbh", "ag", "ltd", "inc", "vzw", "asbl", "cvba", "scrl", "invoice", "managers",
    "cordialement", "salutations", "groeten", "groet", "hoogachtend", "grüße", "grüßen", "regards",
    "sincerely", "objet", "concerne", "rappel", "herinnering", "mahnung", "reminder", "madame,", "beste",
    "the", "data", "protection", "officer", "department", "dienst", "abteilung", "privacy", "dpo",
    "dr", "prof", "professor", "doctor", "dokter", "mme", "mlle", "dhr", "mevr", "mw", "me", "ir", "ing",
}


def _read_list(name: str) -> frozenset[str]:
    path = MODELS_DIR / "names" / name
    try:
        return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except FileNotFoundError:
        log.warning("name list %s is missing: PERSON detection will rely on NER and titles only", path)
        return frozenset()


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return frozenset(n.casefold() for n in _read_list("given_names.txt"))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(n.casefold() for n in _read_list("common_surnames.txt"))


def _is_particle(token: str) -> bool:
    return bool(_PARTICLE_RE.match(token))


def _is_initial(token: str) -> bool:
    return len(token) <= 5 and token.endswith(".")


def trim_name(text: str, start: int, end: int) -> Optional[Tuple[int, int]]:
    """Shrink text[start:end] to its name-shaped tokens; None when nothing name-like is left.

    Stops at the first token that is not a name (a lower-case word, a digit, a known non-name).
    """
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    kept: List[Tuple[int, int]] = []
    for s, e in tokens:
        if kept and "\n" in text[kept[-1][1]:s]:
            break  # a name does not run onto the next line
        word = text[s:e].rstrip(",;:")
        e = s + len(word)
        if word.casefold() in _NOT_NAMES or not (_TOKEN_RE.fullmatch(word) or _is_particle(word)):
            if kept:
                break
            continue  # leading junk ("Beste", "Madame") is skipped
        kept.append((s, e))
    while kept and (_is_particle(text[kept[-1][0]:kept[-1][1]]) or _is_initial(text[kept[-1][0]:kept[-1][1]])):
        kept.pop()
    while kept and _is_particle(text[kept[0][0]:kept[0][1]]) and not text[kept[0][0]].isupper():
        kept.pop(0)
    if not kept:
        return None
    words = [text[s:e] for s, e in kept]
    if not any(len(w) >= 2 and not _is_particle(w) and not _is_initial(w) for w in words):
        return None
    return kept[0][0], kept[-1][1]


_STREET_END = re.compile(rf"(?i:{STREET_SUFFIX})$")
_NUMBER_AFTER = re.compile(rf"[ \t]+{NUMBER}(?![\w])")


def _street_name(text: str, start: int, end: int) -> bool:
    """ "Prof. Dr. J.C. Schoutelaan 1" names a street, not the professor."""
    return bool(_STREET_END.search(text[start:end]) and _NUMBER_AFTER.match(text, end))


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \t")
    return not before or before[-1] in ".!?:\n"


def _known(words: List[str]) -> bool:
    folded = [w.casefold() for w in words]
    return any(w in given_names() or w in surnames() for w in folded)


class PersonRecognizer(EntityRecognizer):
    ENTITY = "PERSON"
    SCORE_RULE = 0.85
    SCORE_GAZETTEER = 0.8
    SCORE_NER = 0.85
    SCORE_NER_UNCORROBORATED = 0.4  # below the default threshold: NER alone outside French

    def __init__(self, supported_language: str = "fr", ner: bool = True, rules: bool = True,
                 gazetteer: bool = True):
        """``ner``, ``rules``, ``gazetteer`` switch the three sources (models/analyzer.yaml)."""
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         name=type(self).__name__)
        self.use_ner, self.use_rules, self.use_gazetteer = ner, rules, gazetteer

    def load(self) -> None:
        given_names()
        surnames()

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        found: dict[Tuple[int, int], Tuple[float, str]] = {}

        def add(span: Optional[Tuple[int, int]], score: float, why: str) -> None:
            if span and found.get(span, (0.0, ""))[0] < score:
                found[span] = (score, why)

        rules = ((_TITLE_RE, "after a title"), (_TITLE_LINE_RE, "below a title"),
                 (_LABEL_RE, "after a name label"), (_GREETING_RE, "in a greeting"),
                 (_SIGNATURE_RE, "signature"), (_ABOVE_ADDRESS_RE, "above an address"))
        for regex, why in rules if self.use_rules else ():
            for match in regex.finditer(text):
                add(trim_name(text, match.start("name"), match.end("name")), self.SCORE_RULE, why)
        for span in self._gazetteer(text) if self.use_gazetteer else ():
            add(span, self.SCORE_GAZETTEER, "known given name")
        if nlp_artifacts is not None and self.use_ner:
            for span, score in self._from_ner(text, nlp_artifacts):
                add(span, score, "spaCy NER")
        return [make_result(self, s, e, score, why) for (s, e), (score, why) in self._resolve(found)
                if not _COMPANY_FORM.match(text[e:e + 12]) and not _street_name(text, s, e)]

    def _gazetteer(self, text: str) -> Iterator[Tuple[int, int]]:
        names = given_names()
        if not names:
            return
        for match in _NAME_RE.finditer(text):
            words = [(m.start(), m.end()) for m in re.finditer(r"\S+", match.group(0))]
            base = match.start()
            for i, (s, e) in enumerate(words):
                word = match.group(0)[s:e]
                if word.casefold() in names and (word[0].isupper()):
                    rest = words[i + 1:]
                    before = words[:i]
                    if rest:  # Jan Janssens, Marie-Claire Van den Broeck
                        span = trim_name(text, base + s, base + rest[-1][1])
                        if span and span[1] > base + e:
                            yield span
                    elif before and match.group(0)[before[-1][0]:before[-1][1]].isupper():  # DUPONT Jean
                        span = trim_name(text, base + before[-1][0], base + e)
                        if span:
                            yield span

    def _from_ner(self, text: str, nlp_artifacts: NlpArtifacts) -> Iterator[Tuple[Tuple[int, int], float]]:
        french = nlp_artifacts.language == "fr"
        for ent in nlp_artifacts.entities:
            if ent.label_ not in {"PERSON", "PER"}:
                continue
            span = trim_name(text, ent.start_char, ent.end_char)
            if not span:
                continue
            words = text[span[0]:span[1]].split()
            known = _known(words)
            if len(words) == 1 and (not known or _sentence_start(text, span[0])):
                continue  # a lone capitalised word (a heading, a town, "Solange ...") is too weak
            score = self.SCORE_NER if french or known else self.SCORE_NER_UNCORROBORATED
            yield span, score

    @staticmethod
    def _resolve(found: dict) -> List[Tuple[Tuple[int, int], Tuple[float, str]]]:
        """Overlapping candidates: the better score wins, then the longer span."""
        ordered = sorted(found.items(), key=lambda kv: (-kv[1][0], -(kv[0][1] - kv[0][0])))
        kept: List = []
        for span, value in ordered:
            if all(span[1] <= s or e <= span[0] for (s, e), _ in kept):
                kept.append((span, value))
        return sorted(kept)
