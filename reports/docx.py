"""The feedback report as an editable Word document, drawn from a version's content dict.

Same text as the PDF (``templates/reports/report_pdf.html``): title, team, summary, a
chapter per group with findings and the evidence codes they cite, every recommendation in
one table, and the annexes as tables. Chapters use Word's heading styles, so the
navigation pane and a generated table of contents work. Markdown fields go through the
same sanitiser as the pages (``richtext.markdown``) and come out as plain paragraphs,
bullets and bold/italic runs; nothing a user typed becomes markup of its own.

Public API: `build_docx(content, *, draft=False, version=None) -> bytes`.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import docx
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from core.richtext import markdown
from reviews.services.report_content import all_recommendations

MUTED = RGBColor(0x4A, 0x4A, 0x4A)
RED = RGBColor(0xB0, 0x2A, 0x37)


# --- Markdown (sanitised HTML) to paragraphs ----------------------------------------------


class _HtmlToDocx(HTMLParser):
    """Walks the sanitised HTML of ``richtext.markdown`` (or a trusted template) and adds
    paragraphs: p, headings, list items (bullets or numbers, two levels), quotes, table
    rows as "cell | cell"; strong/em become bold/italic runs, links keep their address."""

    BLOCKS = {"p", "h3", "h4", "h5", "li", "blockquote", "pre", "tr"}

    def __init__(self, document, *, heading_level: int = 4) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.heading_level = heading_level
        self.paragraph = None
        self.lists: list[str] = []
        self.bold = self.italic = self.code = 0
        self.quote = 0
        self.href = ""
        self.link_text = ""
        self.cells = 0

    def _start(self, style: str | None = None):
        self.paragraph = self.document.add_paragraph(style=style)
        return self.paragraph

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            kind = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self._start(kind if len(self.lists) <= 1 else f"{kind} 2")
        elif tag == "p":
            # A loose list item wraps its text in <p>: keep it on the bullet.
            if not (self.paragraph is not None and not self.paragraph.text):
                self._start("Quote" if self.quote else None)
        elif tag in ("h3", "h4", "h5"):
            self.paragraph = self.document.add_heading(level=self.heading_level)
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self._start()
            self.code += 1
        elif tag == "tr":
            self._start()
            self.cells = 0
        elif tag in ("td", "th"):
            if self.cells:
                self._text(" | ")
            self.cells += 1
            if tag == "th":
                self.bold += 1
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br":
            if self.paragraph is not None:
                self.paragraph.add_run().add_break()
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = ""

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.paragraph = None
        elif tag in ("p", "h3", "h4", "h5", "li", "pre", "tr"):
            if tag == "pre":
                self.code = max(self.code - 1, 0)
            if tag == "p" and self.paragraph is not None and not self.paragraph.text.strip():
                # Nothing left of it (an image the sanitiser removed): no empty paragraph.
                self.paragraph._p.getparent().remove(self.paragraph._p)
            self.paragraph = None
        elif tag == "blockquote":
            self.quote = max(self.quote - 1, 0)
        elif tag == "th" or tag in ("strong", "b"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("em", "i"):
            self.italic = max(self.italic - 1, 0)
        elif tag == "code":
            self.code = max(self.code - 1, 0)
        elif tag == "a":
            if self.href and self.href != self.link_text.strip():
                self._text(f" ({self.href})")
            self.href = ""

    def handle_data(self, data):
        if self.paragraph is None:
            if not data.strip():
                return
            self._start("Quote" if self.quote else None)
        if self.href:
            self.link_text += data
        if not self.code:
            data = " ".join(data.split("\n"))
        self._text(data)

    def _text(self, text: str) -> None:
        if self.paragraph is None:
            self._start()
        run = self.paragraph.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Courier New"


def add_markdown(document, text: str, *, heading_level: int = 4) -> None:
    """Markdown a user wrote, sanitised exactly as on the pages, as Word paragraphs."""
    parser = _HtmlToDocx(document, heading_level=heading_level)
    parser.feed(str(markdown(text or "")))
    parser.close()


# --- Small helpers ------------------------------------------------------------------------


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return ""
    return formats.date_format(day, "LONG_DATE_FORMAT")


def _muted(document, text: str, *, size: float = 8.5, italic: bool = False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.color.rgb = MUTED
    run.italic = italic or None
    return paragraph


def _repeat_header(row) -> None:
    """Mark a table's first row as a header row: repeated on each page, read as headers."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(document, headers: list[str], rows: list[list[str]], *, widths=None):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()
    return table


def _set_language(document, language: str) -> None:
    """The document's default proofing language (core properties alone do not set it)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if r_pr is None:
        return
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def _page_number_footer(section, text: str) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(f"{text} · ")
    run.font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _orient(document, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


# --- The document -------------------------------------------------------------------------


def build_docx(content: dict, *, draft: bool = False, version: int | None = None) -> bytes:
    """The report as .docx bytes. Call it with the content's language active."""
    document = docx.Document()
    _properties(document, content)
    _title_page(document, content, draft=draft, version=version)
    _summary(document, content)
    for section in content.get("sections", []):
        _chapter(document, section)
    _all_recommendations(document, content)
    _annexes(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _properties(document, content: dict) -> None:
    city = content.get("city", "")
    language = content.get("language") or "en"
    props = document.core_properties
    props.title = _("Feedback report of the peer review of %(city)s") % {"city": city}
    props.subject = content.get("review", "")
    props.language = language
    props.author = _("The peer review team")
    props.keywords = "Critical Friend"
    _set_language(document, language)
    _page_number_footer(document.sections[0], f"{city} · {_('Feedback report')}")


def _version_fact(draft: bool, version: int | None) -> list[list[str]]:
    """The title page's "Version" row: draft (and its number) or final; none for a live
    draft says Draft."""
    if draft:
        label = pgettext("report watermark", "Draft")
        if version:
            label += " · " + _("version %(n)s") % {"n": version}
        return [[_("Version"), label]]
    if version:
        return [[_("Version"), _("%(n)s, final") % {"n": version}]]
    return []


def _title_page(document, content: dict, *, draft: bool, version: int | None) -> None:
    _muted(document, _("Critical Friend · peer review of city integration policy"), size=9)
    document.add_heading(content.get("city", ""), level=0)
    subtitle = document.add_paragraph(style="Subtitle")
    subtitle.add_run(_("Feedback report of the peer review"))
    subtitle.add_run().add_break()
    subtitle.add_run(content.get("review", ""))
    facts = []
    if content.get("benchmark"):
        facts.append([_("Benchmark"), content["benchmark"]])
    if content.get("visit_start"):
        visit = _date(content["visit_start"])
        if content.get("visit_end") and content["visit_end"] != content["visit_start"]:
            visit += " – " + _date(content["visit_end"])
        facts.append([_("Site visit"), visit])
    facts.extend(_version_fact(draft, version))
    if facts:
        _table(document, [_("About this report"), ""], facts)
    if draft:
        warning = document.add_paragraph().add_run(
            _("Not approved by the whole team: do not quote or circulate.")
        )
        warning.bold = True
        warning.font.color.rgb = RED
    if content.get("team"):
        document.add_heading(_("The peer review team"), level=1)
        _table(
            document,
            [_("Name"), _("City"), _("Role")],
            [[m["name"], m["city"], m["role"]] for m in content["team"]],
        )


def _summary(document, content: dict) -> None:
    document.add_page_break()
    document.add_heading(_("Summary"), level=1)
    if content.get("summary"):
        add_markdown(document, content["summary"], heading_level=2)
    else:
        _muted(document, _("The summary is not written yet."), size=10)


def _chapter(document, section: dict) -> None:
    """One group's chapter: standard, evaluation, findings by kind, recommendations."""
    document.add_page_break()
    document.add_heading(f"{section['key']} {section['name']}", level=1)
    if section.get("standard"):
        document.add_heading(_("The benchmark standard"), level=2)
        document.add_paragraph(section["standard"], style="Quote")
    document.add_heading(_("The team's evaluation"), level=2)
    if section.get("evaluation"):
        add_markdown(document, section["evaluation"], heading_level=3)
    else:
        _muted(document, _("Not written yet."), size=10)
    kinds = [
        ("strength", _("Strengths")),
        ("weakness", _("Weaknesses and the obstacles behind them")),
        ("good_practice", _("Good practices")),
    ]
    for kind, heading in kinds:
        document.add_heading(heading, level=2)
        findings = [f for f in section.get("findings", []) if f.get("kind") == kind]
        if not findings:
            _muted(document, _("None recorded."), size=10)
        for finding in findings:
            _finding(document, finding)
    document.add_heading(_("Recommendations"), level=2)
    if not section.get("recommendations"):
        _muted(document, _("None for this group."), size=10)
    for rec in section.get("recommendations", []):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{rec['number']}. ").bold = True
        paragraph.add_run(rec["text"])
        meta = (
            f"{_('Priority')}: {rec['priority_label']} · "
            f"{_('Timeframe')}: {rec['timeframe_label']} · "
            f"{_('Who acts')}: {rec['actor']} · "
            f"{_('How progress shows')}: {rec['measure']}"
        )
        if rec.get("indicators"):
            meta += f" · {_('Indicators')}: {', '.join(rec['indicators'])}"
        _muted(document, meta)


def _finding(document, finding: dict) -> None:
    document.add_paragraph(finding["text"], style="List Bullet")
    if finding.get("obstacles"):
        paragraph = document.add_paragraph(style="List Continue")
        paragraph.add_run(_("Obstacles") + ": ").bold = True
        paragraph.add_run(finding["obstacles"])
    if finding.get("codes"):
        paragraph = document.add_paragraph(style="List Continue")
        label = paragraph.add_run(_("Evidence") + ": ")
        label.bold = True
        codes = paragraph.add_run("; ".join(finding["codes"]))
        for run in (label, codes):
            run.font.size = Pt(8)
            run.font.color.rgb = MUTED


def _all_recommendations(document, content: dict) -> None:
    """Every recommendation in one table, on landscape pages."""
    _orient(document, landscape=True)
    document.add_heading(_("All recommendations"), level=1)
    recs = all_recommendations(content)
    if recs:
        _table(
            document,
            [
                _("No."),
                _("Recommendation"),
                _("Indicators"),
                _("Priority"),
                _("Timeframe"),
                _("Who acts"),
                _("How progress shows"),
            ],
            [
                [
                    str(r["number"]),
                    r["text"],
                    ", ".join(r["indicators"]),
                    r["priority_label"],
                    r["timeframe_label"],
                    r["actor"],
                    r["measure"],
                ]
                for r in recs
            ],
        )
    else:
        _muted(document, _("No recommendations yet."), size=10)
    _orient(document, landscape=False)


def _annexes(document, content: dict) -> None:
    document.add_heading(_("Annex 1: The peer review method"), level=1)
    # The same translated text as the PDF's annex (a trusted template, no user text).
    parser = _HtmlToDocx(document, heading_level=2)
    parser.feed(render_to_string("reports/_report_method.html"))
    parser.close()

    document.add_page_break()
    document.add_heading(_("Annex 2: Visit timetable"), level=1)
    if content.get("timetable"):
        _table(
            document,
            [_("Day"), _("Time"), _("Session"), _("Kind"), _("Location"), _("Peers")],
            [
                [_date(r["day"]), f"{r['start']}–{r['end']}", r["label"], r["kind"]]
                + [r["location"], r["peers"]]
                for r in content["timetable"]
            ],
        )
    else:
        _muted(document, _("No sessions were planned."), size=10)
    _people_annex(document, content)
    document.add_heading(_("Annex 4: Evidence codes"), level=1)
    if content.get("evidence_index"):
        _table(
            document,
            [_("Code"), _("Source"), _("Colour"), _("Cited in")],
            [
                [r["code"], r["source"], r["colour"], ", ".join(r["sections"])]
                for r in content["evidence_index"]
            ],
        )
    else:
        _muted(document, _("No evidence is cited yet."), size=10)
    if content.get("network"):
        _network_annex(document, content)


def _network_annex(document, content: dict) -> None:
    """The city against the network as the PDF's annex 5 has it, its chart as a table."""
    network = content["network"]
    document.add_heading(_("Annex 5: The city against the network"), level=1)
    if network.get("kind") == "index":
        _network_index_annex(document, network)
        return
    document.add_paragraph(
        _(
            "The city's ratings per group beside the spread of the ratings in the programme's "
            "other published reviews, as they stood when this version was frozen. Each bar is "
            "the full width: each level's share of the ratings."
        )
    )
    rows = []
    for group in network["groups"]:
        name = f"{group['code']} {group['name']}"
        rows.append([name, network["city"], *(str(n) for n in group["city"])])
        rows.append([name, _("network"), *(str(n) for n in group["network"])])
    _table(
        document,
        [_("Group"), _("Whose ratings"), *(level["label"] for level in network["levels"])],
        rows,
    )
    document.add_paragraph(
        ngettext(
            "The network: %(counter)s other published review of %(programme)s.",
            "The network: %(counter)s other published reviews of %(programme)s.",
            network["reviews"],
        )
        % {"counter": network["reviews"], "programme": network["programme"]}
    )


def _score(value) -> str:
    """A frozen display string ("65.0") in the active language's decimals; "—" for none."""
    return "—" if value is None else formats.number_format(Decimal(value), 1)


def _network_index_annex(document, network: dict) -> None:
    """The index kind of annex 5: per group its weight, the city's score and the network's
    average and spread, then the index."""
    document.add_paragraph(
        _(
            "The city's score per group (0-100) and its index beside the average and spread "
            "of the scores in the programme's other published reviews, as they stood when "
            "this version was frozen."
        )
    )

    def spread(summary) -> list[str]:
        if not summary:
            return ["—", "—"]
        return [_score(summary["mean"]), f"{_score(summary['min'])}–{_score(summary['max'])}"]

    rows = [
        [
            f"{g['code']} {g['name']}",
            formats.number_format(Decimal(g["weight"])),
            _score(g["city"]),
            *spread(g["network"]),
        ]
        for g in network["groups"]
    ]
    rows.append(
        [_("Index"), "", _score(network["index"]["city"]), *spread(network["index"]["network"])]
    )
    _table(
        document,
        [_("Group"), _("Weight"), network["city"], _("Network average"), _("Network min-max")],
        rows,
    )
    document.add_paragraph(
        ngettext(
            "The network: %(counter)s other published review of %(programme)s.",
            "The network: %(counter)s other published reviews of %(programme)s.",
            network["reviews"],
        )
        % {"counter": network["reviews"], "programme": network["programme"]}
    )


def _people_annex(document, content: dict) -> None:
    """The people interviewed as their consent allows: off-the-record people only counted."""
    document.add_heading(_("Annex 3: People interviewed"), level=1)
    if content.get("interviewees"):
        _table(
            document,
            [_("Name or organisation"), _("Kind")],
            [[p["name"], p["kind"]] for p in content["interviewees"]],
        )
    off_record = content.get("off_record_count") or 0
    if off_record:
        document.add_paragraph(
            ngettext(
                "%(n)s person spoke to the team off the record and is not named.",
                "%(n)s people spoke to the team off the record and are not named.",
                off_record,
            )
            % {"n": off_record}
        )
    if not content.get("interviewees") and not off_record:
        _muted(document, _("No interviews were recorded."), size=10)


# --- the comparative report of a programme ------------------------------------------------


def build_synthesis_docx(
    content: dict, *, draft: bool = False, version: int | None = None
) -> bytes:
    """The comparative report (syntheses.content, charts left out) as .docx bytes: a chapter
    per group with its standard, approach, challenges, advice, city examples and good
    practices. Call it with the content's language active."""
    document = docx.Document()
    language = content.get("language") or "en"
    title = _("Comparative report of %(programme)s") % {"programme": content.get("programme", "")}
    props = document.core_properties
    props.title = title
    props.subject = content.get("benchmark", "")
    props.language = language
    props.author = content.get("network") or content.get("programme", "")
    props.keywords = "Critical Friend"
    _set_language(document, language)
    _page_number_footer(document.sections[0], title)
    _muted(document, _("Critical Friend · peer review of city integration policy"), size=9)
    document.add_heading(content.get("programme", ""), level=0)
    document.add_paragraph(style="Subtitle").add_run(
        _("Comparative report: what the cities learnt")
    )
    facts = [[_("Benchmark"), content.get("benchmark", "")]]
    if content.get("cities"):
        facts.append([_("Cities"), ", ".join(content["cities"])])
    facts.extend(_version_fact(draft, version))
    _table(document, [_("About this report"), ""], facts)
    for chapter in content.get("chapters", []):
        document.add_heading(f"{chapter['key']} {chapter['name']}", level=1)
        parts = [
            (_("The standard"), chapter.get("standard")),
            (_("How the cities approach it"), chapter.get("approach")),
        ]
        for heading, text in parts:
            document.add_heading(heading, level=2)
            if text:
                add_markdown(document, text, heading_level=3)
            else:
                _muted(document, _("Not written yet."), italic=True)
        for heading, key in [
            (_("What are the challenges?"), "challenges"),
            (_("Advice"), "advice"),
            (_("City examples"), "examples"),
        ]:
            items = chapter.get(key) or []
            if key == "examples" and not items:
                continue
            document.add_heading(heading, level=2)
            for item in items:
                document.add_paragraph(
                    f"{item['text']} ({', '.join(item['cities'])})", style="List Bullet"
                )
            if not items:
                _muted(document, _("None recorded."), italic=True)
        if chapter.get("practices"):
            document.add_heading(_("Good practices"), level=2)
            _table(
                document,
                [_("Good practice"), _("Where")],
                [
                    [f"{p['title']}\n{p['summary']}".strip(), p["where"]]
                    for p in chapter["practices"]
                ],
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
