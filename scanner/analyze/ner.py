"""spaCy for Presidio: one pipeline for all languages, NER only, offline, on the lines that can hold a name.

Presidio's ``SpacyNlpEngine`` loads a model per language (downloading it when
missing) with every component, and hands each recognizer lemmas and token
lists. We need one thing from spaCy: PER entities for the PERSON recognizer.

- one French pipeline serves fr/nl/en/de (docs/person-detection.md);
- only ``ner`` is loaded (its tok2vec is its own); parser, tagger and
  lemmatizer are excluded;
- a missing model is an error that says how to install it, never a download;
- spaCy only sees the lines where a name can be: a line with fewer than two
  name-shaped words (capitalised, all-capitals or an initial) cannot give a
  name the PERSON recognizer would keep (a single word is kept only when the
  rules vouch for it, and rules do not need NER). The NER model looks at four
  tokens either side, so a line is enough context. On our samples this is
  about half the text;
- in a structured page (a JSON or spreadsheet export, an e-invoice) spaCy only
  sees the values that can hold a name (``field_ner_spans``): not the keys and
  headers on every line, nor the typed values, which the schema reports already.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from scanner.errors import RunFailed
from scanner.extract import Field

_WORD = re.compile(r"[^\W\d_]+\.?")  # letters only, any script (Ionuț, Yılmaz), with a following dot
_LINE = re.compile(r"[^\n]*\n?")


class Entity(NamedTuple):
    """What the PERSON recognizer reads of a spaCy entity, with offsets in the analysed text."""

    label_: str
    start_char: int
    end_char: int


class EntityArtifacts(NlpArtifacts):
    """Presidio's NLP artefacts reduced to what our recognizers read: entities and the language."""

    def __init__(self, entities: List[Entity], language: str):
        super().__init__(entities=entities, tokens=None, tokens_indices=[], lemmas=[], nlp_engine=None,
                         language=language)
        self.language = language


MAX_BLOCK = 4000  # characters per spaCy doc: its memory grows with the length of one doc
BATCH = 16  # docs per spaCy batch: at most 64,000 characters in flight (about 100 MB)


def ner_blocks(text: str) -> List[Tuple[int, int]]:
    """Runs of consecutive lines with at least two name-shaped words, at most MAX_BLOCK long."""
    blocks: List[Tuple[int, int]] = []
    for line in _LINE.finditer(text):
        if not line.group(0):
            break
        shaped = 0
        for word in _WORD.finditer(line.group(0)):
            token = word.group(0)
            if token[0].isupper() and (len(token) > 2 or token.endswith(".") or token.isupper()):
                shaped += 1
                if shaped == 2:
                    break
        if shaped < 2:
            continue
        if blocks and blocks[-1][1] == line.start() and line.end() - blocks[-1][0] <= MAX_BLOCK:
            blocks[-1] = (blocks[-1][0], line.end())
        else:
            blocks.append((line.start(), line.end()))
    return blocks


def field_ner_spans(text: str, fields: Iterable[Field]) -> List[Tuple[int, int]]:
    """Where spaCy reads a structured page: the lines of its untyped values that have two name-shaped words.

    The rule of ``ner_blocks``, applied to each value rather than each line of the page: a line of
    an export is a whole record, keys and all. A typed value needs no NER (a "naam" column is a
    PERSON by the schema: scanner/analyze/fields.py reports it). Values that touch or overlap
    (nested XML elements) make one span; a span is at most MAX_BLOCK long (a longer value is cut
    at a space) and no two spans overlap.
    """
    spans = sorted((f.start + start, f.start + end) for f in fields if f.entity is None and f.end > f.start
                   for start, end in ner_blocks(text[f.start:f.end]))
    merged: List[Tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            last_start, last_end = merged[-1]
            if end <= last_end:
                continue
            if end - last_start <= MAX_BLOCK:
                merged[-1] = (last_start, end)
                continue
            start = last_end
        while end - start > MAX_BLOCK:
            cut = text.rfind(" ", start + 1, start + MAX_BLOCK)
            cut = cut + 1 if cut > start else start + MAX_BLOCK
            merged.append((start, cut))
            start = cut
        merged.append((start, end))
    return merged


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    def __init__(self, model: str, components: Sequence[str], languages: Sequence[str], labels: dict,
                 tokenizer: str = "model", line_filter: bool = True):
        super().__init__(
            models=[{"lang_code": lang, "model_name": model} for lang in languages],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(labels), labels_to_ignore=[], low_score_entity_names=[]),
        )
        self.model = model
        self.components = list(components)
        self.languages = list(languages)
        self.tokenizer = tokenizer
        self.labels = dict(labels)
        self.line_filter = line_filter

    def load(self) -> None:
        if not spacy.util.is_package(self.model):
            raise RunFailed(
                f"the spaCy model '{self.model}' is not installed. Install it with `make install` "
                f"(pip package {self.model.replace('_', '-')}); piiscan never downloads models at run time"
            )
        meta = spacy.util.load_meta(Path(spacy.util.get_package_path(self.model)) / "meta.json")
        exclude = [name for name in meta.get("components", meta.get("pipeline", [])) if name not in self.components]
        overrides = {}
        if self.tokenizer == "multilingual":
            # spaCy's French tokenizer compiles a huge exception regex at import (about 4 s,
            # more than the rest of start-up); the multilingual one is instant and the NER
            # works on its tokens as well (docs/person-detection.md has the measurements).
            exclude.append("tokenizer")
            overrides = {"nlp": {"lang": "xx"}}
        nlp = spacy.load(self.model, exclude=exclude, config=overrides)
        self.nlp = {lang: nlp for lang in self.languages}

    def entities_of(self, texts: Sequence[str], languages: Sequence[str], run: bool = True,
                    spans: Optional[Sequence[Optional[Sequence[Tuple[int, int]]]]] = None) -> Iterator[NlpArtifacts]:
        """NLP artefacts (entities only) for each text, spaCy batched over all of them.

        ``spans``: for each text, the (start, end) spans spaCy reads instead of ``ner_blocks``
        (``field_ner_spans`` of a structured page), or None. Without the line filter it reads everything.
        """
        if not run:
            blocks: List[Sequence[Tuple[int, int]]] = [[] for _ in texts]
        elif not self.line_filter:
            blocks = [[(0, len(text))] if text else [] for text in texts]
        elif spans is None:
            blocks = [ner_blocks(text) for text in texts]
        else:
            blocks = [ner_blocks(text) if given is None else given for text, given in zip(texts, spans)]
        pieces = [(index, start, texts[index][start:end]) for index, found in enumerate(blocks)
                  for start, end in found]
        entities: List[List[Entity]] = [[] for _ in texts]
        if pieces:
            nlp = self.nlp[self.languages[0]]
            for (index, offset, _), doc in zip(pieces, nlp.pipe((p[2] for p in pieces), batch_size=BATCH)):
                entities[index].extend(
                    Entity(self.labels[ent.label_], offset + ent.start_char, offset + ent.end_char)
                    for ent in doc.ents if ent.label_ in self.labels)
        for found, language in zip(entities, languages):
            yield EntityArtifacts(found, language)
