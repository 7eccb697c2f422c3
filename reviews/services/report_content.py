"""The feedback report as plain data: what a frozen version keeps, and what the page, the PDF
and the DOCX draw. Built in a fixed number of queries, whatever the amount of evidence.

Shape (every value is JSON)::

    {
      "format": 1, "language": "en", "built_at": iso,
      "city": str, "review": str, "benchmark": str,
      "visit_start": iso|None, "visit_end": iso|None, "report_due": iso|None,
      "team": [{"name", "city", "role"}],
      "summary": markdown,
      "sections": [{
          "key": group code, "name", "standard", "evaluation": markdown, "assignee",
          "findings": [{"kind", "kind_label", "text", "obstacles", "codes": [str]}],
          "recommendations": [{"number", "text", "indicators": [code], "priority",
                               "priority_label", "timeframe", "timeframe_label",
                               "actor", "measure"}],
      }],
      "values": [{"code", "name"}],          # the cross-cutting dimension, may be empty
      "indicators": [{"code", "group", "value", "text", "state", "state_label",
                      "state_labels": {lang: label}, "fill", "rating", "rating_colour",
                      "rating_code"}],
      "timetable": [{"day", "start", "end", "label", "kind", "location", "peers"}],
      "interviewees": [{"name", "kind"}], "off_record_count": int,
      "evidence_index": [{"code", "source", "colour", "sections": [key]}],
      "network": None | reviews.services.network.city_against_network(review),
    }

Attribution is respected here, once: off-the-record people are counted, never named;
anonymised people appear by organisation and role. Evidence text is never copied into the
report: findings are the team's own words and cite codes.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.languages import LANGS
from reviews.models import (
    Evidence,
    FeedbackReport,
    Finding,
    IndicatorEvaluation,
    ProposedInterviewee,
    Recommendation,
    Review,
    VisitSession,
)
from reviews.models.evidence import STATE_FILL, indicator_statuses
from reviews.models.feedback_report import existing_report
from reviews.services.network import city_against_network
from reviews.steps import PEER, ROLE_LABELS, TEAM_LEADER

FORMAT = 1


def _state_labels() -> dict:
    return {
        "contradictory": _("contradictory"),
        "unconfirmed": _("unconfirmed"),
        "none": _("no evidence"),
    }


def state_label(indicator: dict) -> str:
    """An indicator's evidence status in the reader's language, whatever language the content
    was built in: the states by their message ids, a confirmed colour by its label in that
    language when the content holds it (versions frozen before it did keep their words)."""
    state = indicator.get("state")
    if state in ("contradictory", "unconfirmed", "none"):
        return str(_state_labels()[state])
    labels = indicator.get("state_labels") or {}
    return labels.get(translation.get_language() or "en") or indicator.get("state_label", "")


def build_content(review: Review, report: FeedbackReport | None = None) -> dict:
    """The report as it stands, in the shape above: what `FeedbackReport.freeze` stores and
    every output draws. A fixed number of queries, whatever the amount of evidence."""
    report = report or existing_report(review)  # None: nobody has started it (an empty draft)
    version = review.benchmark_version
    sections, evidence_index = _sections(report) if report else ([], [])
    return {
        "format": FORMAT,
        "language": translation.get_language() or "en",
        "built_at": timezone.now().isoformat(),
        "city": str(review.host_city),
        "review": review.title,
        "benchmark": str(version) if version else "",
        "visit_start": _iso(review.visit_start),
        "visit_end": _iso(review.visit_end),
        "report_due": _iso(review.report_due),
        "team": _team(review),
        "summary": report.summary if report else "",
        "sections": sections,
        "values": [{"code": v.code, "name": v.name} for v in version.values.all()]
        if version
        else [],
        "indicators": _indicators(review),
        **_visit(review),
        "evidence_index": evidence_index,
        # Frozen with the version: the annex reads the network as it was when frozen.
        "network": city_against_network(review) if report and report.network_annex else None,
    }


def _iso(day):
    return day.isoformat() if day else None


def _sections(report: FeedbackReport) -> tuple[list[dict], list[dict]]:
    """The report's sections with their findings and recommendations, and the index of every
    evidence code they cite (each code once, with the sections citing it)."""
    sections = report.sections.select_related("group", "assignee").prefetch_related(
        Prefetch(
            "findings",
            queryset=Finding.objects.prefetch_related(
                Prefetch(
                    "evidence",
                    # author: an entry without interviewers is signed by its author.
                    queryset=Evidence.objects.select_related(
                        "session", "colour", "author"
                    ).prefetch_related("indicators", "interviewers"),
                )
            ),
        ),
        Prefetch("recommendations", queryset=Recommendation.objects.prefetch_related("indicators")),
    )
    cited: dict[tuple, dict] = {}
    out = []
    for section in sections:
        findings = [
            _finding(finding, section.group.code, cited) for finding in section.findings.all()
        ]
        out.append(
            {
                "key": section.group.code,
                "name": section.group.name,
                "standard": section.group.standard,
                "evaluation": section.evaluation,
                "assignee": str(section.assignee) if section.assignee else "",
                "findings": findings,
                "recommendations": [_recommendation(r) for r in section.recommendations.all()],
            }
        )
    return out, sorted(cited.values(), key=lambda r: r["code"])


def _finding(finding: Finding, section_key: str, cited: dict) -> dict:
    """One finding with the codes it cites; records each code in `cited` for the index."""
    codes = []
    for entry in sorted(finding.evidence.all(), key=lambda e: e.pk):
        entry_codes = entry.codes()
        codes.extend(entry_codes)
        for code in entry_codes:
            row = cited.setdefault(
                (entry.pk, code),
                {
                    "code": code,
                    "source": entry.source_label,
                    "colour": entry.colour.label,
                    "sections": [],
                },
            )
            if section_key not in row["sections"]:
                row["sections"].append(section_key)
    return {
        "kind": finding.kind,
        "kind_label": finding.get_kind_display(),
        "text": finding.text,
        "obstacles": finding.obstacles,
        "codes": codes,
    }


def _recommendation(r: Recommendation) -> dict:
    return {
        "number": r.number,
        "text": r.text,
        "indicators": [i.code for i in r.indicators.all()],
        "priority": r.priority,
        "priority_label": r.get_priority_display(),
        "timeframe": r.timeframe,
        "timeframe_label": r.get_timeframe_display(),
        "actor": r.actor,
        "measure": r.measure,
    }


def _indicators(review: Review) -> list[dict]:
    """Every indicator in scope with its evidence status colour and the team's rating."""
    indicators = list(review.indicators_in_scope().select_related("group", "value"))
    statuses = indicator_statuses(review, indicators)
    ratings = {
        e.indicator_id: e.rating
        for e in IndicatorEvaluation.objects.filter(
            review=review, rating__isnull=False
        ).select_related("rating")
    }
    labels = _state_labels()
    out = []
    for indicator in indicators:
        status = statuses[indicator.pk]
        confirmed = status.confirmed[0] if status.state == "confirmed" else None
        rating = ratings.get(indicator.pk)
        out.append(
            {
                "code": indicator.code,
                "group": indicator.group.code,
                "value": indicator.value.code if indicator.value_id else "",
                "text": indicator.text,
                "state": status.state,
                "state_label": confirmed.label if confirmed else str(labels[status.state]),
                "state_labels": {
                    lang: getattr(confirmed, f"label_{lang}", "") or confirmed.label
                    for lang in LANGS
                }
                if confirmed
                else {},
                "fill": confirmed.colour if confirmed else STATE_FILL[status.state],
                "rating": rating.label if rating else "",
                "rating_colour": rating.colour if rating else "",
                # The level itself, so later reviews compare ratings in any language.
                "rating_code": rating.code if rating else "",
            }
        )
    return out


def _visit(review: Review) -> dict:
    """The timetable, and the people interviewed as their consent allows: off-the-record
    people are only counted, anonymised ones appear by organisation and role."""
    sessions = review.visit_sessions.prefetch_related("peers", "interviewees").order_by("starts_at")
    timetable, people = [], {}
    for session in sessions:
        start, end = session.local_start, session.local_end
        timetable.append(
            {
                "day": start.date().isoformat(),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "label": session.label,
                "kind": session.get_kind_display(),
                "location": session.location,
                "peers": " & ".join(sorted(p.initials for p in session.peers.all() if p.initials)),
            }
        )
        if session.kind in (VisitSession.INTERVIEW, VisitSession.WORKSHOP):
            for person in session.interviewees.all():
                people[person.pk] = person
    off_record = ProposedInterviewee.OFF_RECORD
    interviewees = sorted(
        (
            {"name": p.public_name, "kind": p.get_kind_display()}
            for p in people.values()
            if p.attribution != off_record
        ),
        key=lambda row: (row["kind"], row["name"]),
    )
    return {
        "timetable": timetable,
        "interviewees": interviewees,
        "off_record_count": sum(p.attribution == off_record for p in people.values()),
    }


def _team(review: Review) -> list[dict]:
    """The peers, the team leader first, with their cities."""
    team = [
        {
            "name": m.user.name,
            "city": str(m.user.city) if m.user.city_id else "",
            "role": str(ROLE_LABELS[m.role]),
        }
        for m in review.memberships.with_roles(TEAM_LEADER, PEER)
        .select_related("user__city")
        .order_by("role", "user__name")
    ]
    team.sort(key=lambda row: (row["role"] != str(ROLE_LABELS[TEAM_LEADER]), row["name"]))
    return team


def all_recommendations(content: dict) -> list[dict]:
    return [
        {**rec, "section": section["key"], "section_name": section["name"]}
        for section in content["sections"]
        for rec in section["recommendations"]
    ]
