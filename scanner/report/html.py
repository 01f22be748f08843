"""The HTML report: one self-contained file (inline CSS, bar charts as inline SVG made here; no script,
no web font, no link to anything), readable offline and safe to mail around inside the firm.

Everything is escaped (Jinja2 autoescape; the SVG is built with :class:`markupsafe.Markup`, which
escapes what it is given): a file called ``<script>.pdf`` shows as text.

>>> str(bar_chart([("<b>", [(3, HIGH, "high-risk")])], "test")).count("&lt;b&gt;")
2
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

HIGH, OTHER, NEUTRAL = "#b42318", "#f79009", "#475467"
_MAX_LABEL = 46

Segment = Tuple[int, str, str]  # value, colour, legend name


def _short(label: str) -> str:
    """Long paths keep their end (the part that tells folders apart)."""
    return label if len(label) <= _MAX_LABEL else "\u2026" + label[-(_MAX_LABEL - 1):]


def bar_chart(rows: Sequence[Tuple[str, Sequence[Segment]]], caption: str, width: int = 760,
              label_width: int = 330, row_height: int = 22) -> Markup:
    """A horizontal (stacked) bar chart as inline SVG; each label's full text is its tooltip."""
    if not rows:
        return Markup("<p class=\"muted\">Nothing to chart.</p>")
    top = 8
    legend: List[Tuple[str, str]] = []
    for _label, segments in rows:
        for _value, colour, name in segments:
            if (name, colour) not in legend:
                legend.append((name, colour))
    legend_height = 22 if len(legend) > 1 else 0
    height = top + legend_height + row_height * len(rows) + 6
    biggest = max(sum(v for v, _c, _n in segments) for _label, segments in rows) or 1
    bar_space = width - label_width - 70
    parts = [Markup('<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                    'aria-label="{a}">').format(w=width, h=height, a=caption)]
    x = label_width
    for name, colour in (legend if legend_height else []):
        parts.append(Markup('<rect x="{x}" y="{y}" width="12" height="12" fill="{c}"/>'
                            '<text x="{tx}" y="{ty}" class="legend">{n}</text>')
                     .format(x=x, y=top, c=colour, tx=x + 16, ty=top + 10, n=name))
        x += 24 + 7 * len(name)
    for index, (label, segments) in enumerate(rows):
        y = top + legend_height + index * row_height
        parts.append(Markup('<g><title>{full}</title><text x="{lx}" y="{ty}" text-anchor="end">{short}</text>')
                     .format(full=label, lx=label_width - 8, ty=y + row_height - 8, short=_short(label)))
        x = float(label_width)
        total = 0
        for value, colour, name in segments:
            w = bar_space * value / biggest
            if value:
                parts.append(Markup('<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{h}" fill="{c}">'
                                    '<title>{n}: {v}</title></rect>')
                             .format(x=x, y=y + 3, w=max(w, 1.0), h=row_height - 6, c=colour, n=name, v=value))
            x += w
            total += value
        parts.append(Markup('<text x="{x:.1f}" y="{ty}" class="value">{v}</text></g>')
                     .format(x=x + 6, ty=y + row_height - 8, v=total))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _type_chart(by_type: dict, high_risk: set) -> Markup:
    rows = [(t, [(n, HIGH if t in high_risk else NEUTRAL, "high-risk" if t in high_risk else "other")])
            for t, n in by_type.items()]
    return bar_chart(rows, "Findings per entity type", label_width=220)


def _folder_chart(items: Sequence[dict], caption: str) -> Markup:
    rows = [(item["folder"], [(item["high_risk"], HIGH, "high-risk identifiers"),
                              (item["findings"] - item["high_risk"], OTHER, "other personal data")])
            for item in items]
    return bar_chart(rows, caption)


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>piiscan report {{ meta.generated_at }}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #101828;
       margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px;
     border-bottom: 1px solid #eaecf0; padding-bottom: 4px; }
.muted { color: #667085; } .meta { font-size: 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.card { border: 1px solid #eaecf0; border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; } .card.alert b { color: #b42318; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaecf0; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.path { word-break: break-all; } .risk { color: #b42318; font-weight: 600; }
.tag { display: inline-block; background: #f2f4f7; border-radius: 4px; padding: 0 5px; margin: 1px 2px 1px 0;
       font-size: 12px; white-space: nowrap; } .tag.hr { background: #fee4e2; color: #912018; }
svg.chart { max-width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: #344054; } svg.chart text.value { fill: #101828; font-weight: 600; }
footer { margin-top: 40px; font-size: 12px; color: #667085; }
</style>
</head>
<body>
<h1>Personal data in the scanned shares</h1>
<p class="muted meta">Generated {{ meta.generated_at }} by piiscan {{ meta.piiscan }} from {{ meta.store }}
{%- if meta.schema_version %} (store schema {{ meta.schema_version }}){% endif %}.
{%- if runs %} Latest run: #{{ runs[0].id }}, {{ runs[0].status }}, started {{ runs[0].started_at }}.{% endif %}</p>

<section id="totals">
<h2>Totals</h2>
<div class="cards">
  <div class="card"><b>{{ totals.files }}</b>files</div>
  <div class="card"><b>{{ totals.documents }}</b>documents</div>
  <div class="card"><b>{{ totals.documents_with_findings }}</b>documents with personal data</div>
  <div class="card"><b>{{ totals.findings }}</b>findings</div>
  <div class="card{% if totals.high_risk %} alert{% endif %}"><b>{{ totals.high_risk }}</b>high-risk identifiers</div>
  <div class="card{% if totals.unmasked_id_copies %} alert{% endif %}"><b>{{ totals.unmasked_id_copies }}</b>unmasked ID copies</div>
  <div class="card"><b>{{ totals.errors }}</b>errors</div>
</div>
<p class="muted">High-risk identifiers: {% for t in high_risk_types %}<span class="tag hr">{{ t }}</span>{% endfor %}</p>
</section>

<section id="types">
<h2>Findings per type</h2>
{{ type_chart }}
</section>

<section id="folders">
<h2>Where the risk sits</h2>
<p class="muted">Top-level folders under each scanned root, everything below them counted; red: high-risk identifiers.</p>
{{ top_folder_chart }}
{{ folder_table(by_top_folder[:top]) }}
{% if by_top_folder|length > top %}<p class="muted">and {{ by_top_folder|length - top }} more top-level folders (all of them in <code>report --format json</code>).</p>{% endif %}
<h3>Folders</h3>
{{ folder_chart }}
{{ folder_table(by_folder[:top]) }}
{% if by_folder|length > top %}<p class="muted">and {{ by_folder|length - top }} more folders (all of them in <code>report --format json</code>).</p>{% endif %}
</section>

<section id="documents">
<h2>Documents with the most high-risk identifiers</h2>
{% if top_documents %}
<table><thead><tr><th>file</th><th>member</th><th class="n">high-risk</th><th class="n">findings</th><th>types</th></tr></thead>
<tbody>{% for d in top_documents %}
<tr><td class="path">{{ d.file }}</td><td class="path">{{ d.member or "" }}</td><td class="n risk">{{ d.high_risk }}</td>
<td class="n">{{ d.findings }}</td><td>{{ tags(d.by_type) }}</td></tr>{% endfor %}
</tbody></table>
{% else %}<p class="muted">No document holds a high-risk identifier.</p>{% endif %}
</section>

<section id="id-copies">
<h2>Identity-document copies not masked</h2>
<p class="muted">Copies kept for identity checks must have the photo and the national register number covered (privacy policy, section 8).</p>
{% if unmasked_id_copies %}
<table><thead><tr><th>file</th><th>member</th><th>document</th><th>side</th><th>why</th></tr></thead>
<tbody>{% for c in unmasked_id_copies %}
<tr><td class="path">{{ c.file }}</td><td class="path">{{ c.member or "" }}</td><td>{{ c.document_type or "" }}</td>
<td>{{ c.side or "" }}</td><td>{{ c.reasons|join("; ") }}</td></tr>{% endfor %}
</tbody></table>
{% else %}<p class="muted">None found.</p>{% endif %}
</section>

<section id="errors">
<h2>Errors</h2>
{% if error_list %}
<p class="muted">Files that could not be scanned (or not entirely): they may hold personal data nobody has looked at.</p>
<table><thead><tr><th>file</th><th>member</th><th>code</th><th>message</th></tr></thead>
<tbody>{% for e in error_list[:max_errors] %}
<tr><td class="path">{{ e.file }}</td><td class="path">{{ e.member or "" }}</td><td><code>{{ e.code }}</code></td><td>{{ e.message }}</td></tr>{% endfor %}
</tbody></table>
{% if error_list|length > max_errors %}<p class="muted">and {{ error_list|length - max_errors }} more (all of them in <code>report --format json</code>).</p>{% endif %}
{% else %}<p class="muted">No errors.</p>{% endif %}
</section>

<section id="runs">
<h2>Scan runs</h2>
{% if runs %}
<table><thead><tr><th class="n">run</th><th>started</th><th>finished</th><th>status</th><th>roots</th>
<th class="n">files seen</th><th class="n">scanned</th><th class="n">unchanged</th><th class="n">documents</th>
<th class="n">findings</th><th class="n">errors</th></tr></thead>
<tbody>{% for r in runs %}
<tr><td class="n">{{ r.id }}</td><td>{{ r.started_at or "" }}</td><td>{{ r.finished_at or "" }}</td><td>{{ r.status }}</td>
<td class="path">{{ r.roots|join(", ") }}</td><td class="n">{{ r.files_seen }}</td><td class="n">{{ r.files_scanned }}</td>
<td class="n">{{ r.files_unchanged }}</td><td class="n">{{ r.documents }}</td><td class="n">{{ r.findings }}</td>
<td class="n">{{ r.errors }}</td></tr>{% endfor %}
</tbody></table>
{% else %}<p class="muted">No run recorded.</p>{% endif %}
</section>

<footer>This report holds no personal data values: only counts, entity types, file paths and reasons.
Look a person up with <code>piiscan dsar</code>; list what is past its retention period with <code>piiscan retention</code>.</footer>
</body>
</html>
"""

_MACROS = """
{% macro tags(by_type) %}{% for t, n in by_type.items() %}<span class="tag{% if t in high_risk %} hr{% endif %}">{{ t }} {{ n }}</span>{% endfor %}{% endmacro %}
{% macro folder_table(items) %}
{% if items %}
<table><thead><tr><th>folder</th><th class="n">files</th><th class="n">documents</th><th class="n">findings</th>
<th class="n">high-risk</th><th>types</th></tr></thead>
<tbody>{% for f in items %}
<tr><td class="path">{{ f.folder }}</td><td class="n">{{ f.files }}</td><td class="n">{{ f.documents }}</td>
<td class="n">{{ f.findings }}</td><td class="n{% if f.high_risk %} risk{% endif %}">{{ f.high_risk }}</td>
<td>{{ tags(f.by_type) }}</td></tr>{% endfor %}
</tbody></table>
{% else %}<p class="muted">No folder recorded.</p>{% endif %}
{% endmacro %}
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
_TEMPLATE = _ENV.from_string(_MACROS + TEMPLATE)


def render_html(data: dict, top: int = 20, max_errors: int = 500) -> str:
    """The report (:func:`scanner.report.build_report`) as one HTML page."""
    high_risk = set(data["high_risk_types"])
    with_findings = [item for item in data["by_folder"] if item["findings"]]
    tops = [item for item in data["by_top_folder"] if item["findings"]]
    return _TEMPLATE.render(  # the macros come first: their blank lines go
        meta=data["report"], totals=data["totals"], high_risk_types=data["high_risk_types"], high_risk=high_risk,
        by_top_folder=data["by_top_folder"], by_folder=data["by_folder"], top=top,
        top_documents=data["top_documents"], unmasked_id_copies=data["unmasked_id_copies"],
        error_list=data["error_list"], max_errors=max_errors, runs=data["runs"],
        type_chart=_type_chart(data["by_type"], high_risk),
        top_folder_chart=_folder_chart(tops[:top], "Findings per top-level folder"),
        folder_chart=_folder_chart(with_findings[:top], "Findings per folder")).lstrip()
