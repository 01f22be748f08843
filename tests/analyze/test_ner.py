"""Where spaCy reads: the lines that can hold a name, or in a structured page the values that can."""

from __future__ import annotations

from scanner.analyze.engine import _within
from scanner.analyze.language import Segment
from scanner.analyze.ner import MAX_BLOCK, field_ner_spans
from scanner.extract import Field


def spans_of(text: str, values: list) -> list:
    """Fields for ``values`` (value, entity) laid out like a JSON export's line."""
    fields, parts, length = [], [], 0
    for index, (value, entity) in enumerate(values):
        head = ("\t" if index else "") + f"k{index}: "
        fields.append(Field(length + len(head), length + len(head) + len(value), f"$.k{index}", entity))
        parts.append(head + value)
        length += len(head) + len(value)
    page = "".join(parts)
    return [page[s:e] for s, e in field_ner_spans(page, fields)]


def test_only_untyped_values_with_two_name_shaped_words():
    assert spans_of("", [("Jan Peeters", "PERSON"), ("Gesprek met Dirk Janssens", None), ("Rappel envoyé", None),
                         ("open", None), ("IM-2020-0000001", None), ("J. Dupont", None)]) == [
        "Gesprek met Dirk Janssens", "J. Dupont"]


def test_lines_of_a_value():
    text = "note: Bonjour,\nJean Dupont a appelé.\nrien\n"
    spans = field_ner_spans(text, [Field(6, len(text), "$.note")])
    assert [text[s:e] for s, e in spans] == ["Jean Dupont a appelé.\n"]


def test_touching_and_nested_values_make_one_span():
    text = "Rue de la Loi 16 Jean Dupont"
    fields = [Field(0, 16, "/a/street"), Field(0, 28, "/a"), Field(17, 28, "/a/name")]
    assert field_ner_spans(text, fields) == [(0, 28)]


def test_spans_stay_under_max_block_and_do_not_overlap():
    value = "Jan Peeters "
    text = value * (2 * MAX_BLOCK // len(value))
    fields = [Field(i, i + len(value), f"$[{i}]") for i in range(0, len(text), len(value))]
    fields.append(Field(0, len(text), "$"))  # a value holding all the others
    spans = field_ner_spans(text, fields)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end - start <= MAX_BLOCK for start, end in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_spans_within_a_segment():
    assert _within([(0, 5), (8, 15), (20, 30), (40, 45)], Segment(10, 40, "fr")) == [(0, 5), (10, 20)]


def test_spacy_reads_only_the_spans_given(analyzer):
    text = "Jean Dupont habite à Liège.\nSophie Martin habite à Namur.\n"
    second = text.index("Sophie")
    given = analyzer.nlp_engine.entities_of([text], ["fr"], spans=[[(second, len(text))]])
    assert {text[e.start_char:e.end_char] for e in next(iter(given)).entities} == {"Sophie Martin"}
    default = analyzer.nlp_engine.entities_of([text], ["fr"], spans=[None])
    assert {text[e.start_char:e.end_char] for e in next(iter(default)).entities} == {"Jean Dupont", "Sophie Martin"}


def test_analyze_pages_hands_spacy_the_spans_of_each_segment(analyzer, monkeypatch):
    french = "Monsieur Dupont nous a écrit pour sa facture. Il habite à Liège depuis longtemps.\n\n"
    dutch = "Mevrouw Peeters heeft ons gebeld over haar factuur. Zij woont al lang in Gent.\n"
    text = french + dutch
    seen = []
    original = analyzer.nlp_engine.entities_of

    def entities_of(texts, languages, run=True, spans=None):
        seen.append(spans)
        return original(texts, languages, run, spans)

    monkeypatch.setattr(analyzer.nlp_engine, "entities_of", entities_of)
    analyzer.analyze_pages([text, "Jan Peeters"], ner_spans=[[(9, 15), (len(french) + 8, len(french) + 15)], None])
    assert seen == [[[(9, 15)], [(8, 15)], None]]
