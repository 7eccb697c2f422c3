"""Step 6: the evidence database as a table for its exports.

Attribution is respected once, here: entries from a session with an off-the-record person
are neither quoted nor attributed; anonymised people appear by role only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.tables import Column, sheet_header, sheet_row
from reviews.models import Evidence, ProposedInterviewee, Review


@dataclass(frozen=True)
class EvidenceRow:
    """One code of one entry (an entry coded to three indicators makes three rows)."""

    evidence: Evidence
    code: str
    indicator_code: str
    interviewees: str
    off_record: bool

    @property
    def tags(self) -> str:
        flags = (
            (self.evidence.is_weakness, _("weakness")),
            (self.evidence.is_obstacle, _("obstacle")),
            (self.evidence.is_good_practice, _("good practice")),
        )
        return ", ".join(str(label) for flag, label in flags if flag)

    @property
    def finding(self) -> str:
        return str(_("[off the record: not quoted]")) if self.off_record else self.evidence.text


EVIDENCE_COLUMNS = [
    Column("code", _("Code"), lambda row: row.code),
    Column("indicator", _("Indicator"), lambda row: row.indicator_code),
    Column("source", _("Source"), lambda row: row.evidence.source_label),
    Column("interviewees", _("Interviewees"), lambda row: row.interviewees),
    Column("interviewers", _("Interviewers"), lambda row: row.evidence.initials()),
    Column("colour", _("Colour"), lambda row: row.evidence.colour.label),
    Column("basis", _("Basis"), lambda row: row.evidence.get_basis_display()),
    Column("tags", _("Tags"), lambda row: row.tags),
    Column("finding", _("Finding"), lambda row: row.finding),
]


def evidence_rows(review: Review) -> list[EvidenceRow]:
    rows = []
    for evidence in review.evidence.live().for_list().order_by("pk"):
        people = list(evidence.session.interviewees.all()) if evidence.session_id else []
        off_record = any(p.attribution == ProposedInterviewee.OFF_RECORD for p in people)
        names = "" if off_record else "; ".join(p.public_name for p in people if p.public_name)
        for code, indicator in zip(evidence.codes(), evidence.indicators.all(), strict=True):
            rows.append(EvidenceRow(evidence, code, indicator.code, names, off_record))
    return rows


def export_rows(review: Review) -> list[list]:
    """The header and one row per code, as every evidence export writes them."""
    return [sheet_header(EVIDENCE_COLUMNS)] + [
        sheet_row(EVIDENCE_COLUMNS, row) for row in evidence_rows(review)
    ]
