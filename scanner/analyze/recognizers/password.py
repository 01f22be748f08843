"""Passwords, PINs and security answers written in a text (PASSWORD).

Only the secret is reported, never its label: ``mot de passe : Tr0ub4dor&3``,
``wachtwoord = zomer2024!``, ``mein Passwort ist Sonne123``, ``PIN 4821``,
and the answer after "réponse :" when a security question is mentioned just before.

>>> r = PasswordRecognizer()
>>> [text[x.start:x.end] for text in ["Mot de passe : Tr0ub4dor&3."] for x in r.analyze(text, [])]
['Tr0ub4dor&3']
"""

from __future__ import annotations

import re
from typing import List, Optional

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from scanner.analyze.context import find_context
from scanner.analyze.recognizers.base import make_result

_SECRET_LABELS = (
    r"mot\s+de\s+passe|mdp|mot\s+de\s+passe\s+provisoire|code\s+secret|code\s+pin|code\s+d'accès|"
    r"wachtwoord|paswoord|pincode|pin-code|geheime\s+code|toegangscode|"
    r"passwort|kennwort|geheimzahl|zugangscode|"
    r"password|passcode|pass\s?phrase|pwd|pw|pin|access\s+code"
)
_ANSWER_LABELS = r"réponse|reponse|antwoord|antwort|answer"
_QUESTION_WORDS = ["question secrète", "question de sécurité", "beveiligingsvraag", "geheime vraag",
                   "sicherheitsfrage", "security question", "secret question", "question"]

# A label, a few words at most ("Mot de passe temporaire", "pincode voor betalingen via het portaal"), ":".
_LABELLED = re.compile(
    rf"(?<![\w])(?:{_SECRET_LABELS})(?![\w])(?:[^\n:=.?!]{{0,40}}?)(?:\s*\([^)\n]{{0,25}}\))?[ \t]*[:=][ \t]*"
    r"(?:[\"'«“](?P<quoted>[^\"'»”\n]{1,64})[\"'»”]|(?P<token>[^\s\"'«“]{3,64}))",
    re.IGNORECASE,
)
_SENTENCE = re.compile(
    rf"(?<![\w])(?:mon|votre|mijn|uw|je|mein|ihr|dein|my|your|the|le|het|das)\s+(?:nouveau\s+|nieuwe?\s+|neues?\s+|new\s+)?"
    rf"(?:{_SECRET_LABELS})\s+(?:est|était|is|was|ist|lautet|luidt)\s*:?\s*"
    r"(?:[\"'«“](?P<quoted>[^\"'»”\n]{1,64})[\"'»”]|(?P<token>[^\s\"'«“]{3,64}))",
    re.IGNORECASE,
)
_BARE_PIN = re.compile(r"(?<![\w])(?:code\s+PIN|PIN|pincode)\s+(?P<token>\d{4,8})(?!\w)", re.IGNORECASE)
# After a security question: "Réponse : Rintintin", "(…) est : Rintintin", "lautet:\nHergenrath".
_ANSWER = re.compile(
    rf"(?<![\w])(?:{_ANSWER_LABELS}|est|is|ist|lautet|luidt|was|était)[ \t]*[:=][ \t]*\r?\n?[ \t]*(?P<token>[^\n]{{2,60}})",
    re.IGNORECASE)
_TRAILING = ".,;:)]}»”\"'"
SCORE = 0.85


def _looks_secret(value: str) -> bool:
    return any(ch.isdigit() for ch in value) or any(not ch.isalnum() for ch in value) or any(
        ch.isupper() for ch in value[1:])


class PasswordRecognizer(EntityRecognizer):
    ENTITY = "PASSWORD"

    def __init__(self, supported_language: str = "fr"):
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language,
                         name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        spans: dict[tuple[int, int], str] = {}
        for regex, why in ((_LABELLED, "after a password label"), (_SENTENCE, "password sentence"),
                           (_BARE_PIN, "after PIN")):
            for match in regex.finditer(text):
                span = self._secret_span(match)
                # Without a colon ("mijn wachtwoord is …") only a password-looking word counts:
                # "het wachtwoord is vervallen" says the password expired.
                if span and (regex is not _SENTENCE or _looks_secret(text[span[0]:span[1]])):
                    spans.setdefault(span, why)
        for match in _ANSWER.finditer(text):
            if find_context(text, match.start(), match.end(), _QUESTION_WORDS, before=160):
                span = self._secret_span(match)
                if span:
                    spans.setdefault(span, "answer to a security question")
        return [
            make_result(self, start, end, SCORE, why)
            for (start, end), why in sorted(spans.items())
        ]

    @staticmethod
    def _secret_span(match: re.Match) -> Optional[tuple[int, int]]:
        group = "quoted" if match.groupdict().get("quoted") else "token"
        start, end = match.start(group), match.end(group)
        value = match.group(group)
        if "://" in value or value.lower().startswith("www."):
            return None  # "mot de passe oublié : https://…" points to a page, it is not a secret
        if group == "token":
            stripped = value.rstrip().rstrip(_TRAILING)
            end = start + len(stripped)
        return (start, end) if end - start >= 2 else None
