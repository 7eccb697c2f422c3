"""What earlier reviews of a city found: the final rating of each indicator in every
published report, and the city's commitments on it with their progress.

Indicators are matched across benchmark versions by their lineage (`Indicator.lineage`
stays when an indicator is reworded, renumbered or moved). A final rating is the one the
published report gives: read from its final version's snapshot, never from the team's
evaluation rows, which could still change after publication. A re-review's peers see them
beside each indicator (the baseline); the city page shows them review by review.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarks.models import Indicator, RatingScale, ScaleLevel
from reviews.models import HostResponse, ProgressUpdate, Recommendation, ReportVersion, Review
from reviews.services.follow_up import plan_rows


@dataclass(frozen=True)
class Rating:
    label: str
    colour: str
    score: Decimal | None = None


@dataclass
class Commitment:
    """A recommendation of an earlier report and what the city made of it."""

    number: int
    text: str
    decision: str  # HostResponse.ACCEPT / PARTLY / DECLINE, or "" when not answered
    decision_label: str
    progress_label: str  # the latest progress update's status, or ""
    done: bool
    overdue: bool
    deadline: datetime.date | None
    codes: list[str] = field(default_factory=list)  # its indicators' codes then
    lineages: set = field(default_factory=set)  # and their lineages, to match them now

    @property
    def committed(self) -> bool:
        return self.decision in (HostResponse.ACCEPT, HostResponse.PARTLY)

    @property
    def state(self) -> str:
        """Accepted, done, overdue and the like, in a few words."""
        parts = [self.decision_label]
        if self.done:
            parts.append(_("done"))
        elif self.overdue:
            parts.append(_("overdue"))
        elif self.progress_label:
            parts.append(self.progress_label.lower())
        return ", ".join(parts)


@dataclass
class Earlier:
    """One indicator in an earlier review: its final rating and the commitments on it."""

    review: Review
    rating: Rating | None
    commitments: list[Commitment] = field(default_factory=list)


def _labels(level: ScaleLevel) -> set[str]:
    return {getattr(level, f"label_{code}", "") or "" for code, _name in settings.LANGUAGES}


def final_ratings(reviews) -> dict[int, dict]:
    """Review id -> {lineage: Rating} from each published report's final version."""
    reviews = {r.pk: r for r in reviews}
    finals = ReportVersion.objects.filter(
        report__review__in=reviews, report__published_at__isnull=False, state=ReportVersion.FINAL
    ).values_list("report__review_id", "content")
    contents = dict(finals)
    if not contents:
        return {}
    version_ids = {reviews[pk].benchmark_version_id for pk in contents}
    lineages = {
        (version, code): lineage
        for version, code, lineage in Indicator.objects.filter(
            version_id__in=version_ids
        ).values_list("version_id", "code", "lineage")
    }
    levels: dict[int, list[ScaleLevel]] = {}
    for level in ScaleLevel.objects.filter(
        scale__version_id__in=version_ids, scale__purpose=RatingScale.PERFORMANCE
    ).select_related("scale"):
        levels.setdefault(level.scale.version_id, []).append(level)
    found: dict[int, dict] = {}
    for review_id, content in contents.items():
        version = reviews[review_id].benchmark_version_id
        ratings = {}
        for row in content.get("indicators", []):
            lineage = lineages.get((version, row.get("code")))
            if lineage is None or not row.get("rating"):
                continue
            level = _level(levels.get(version, []), row)
            ratings[lineage] = (
                Rating(level.label, level.colour, level.score)
                if level
                else Rating(row["rating"], row.get("rating_colour", ""))
            )
        found[review_id] = ratings
    return found


def _level(levels: list[ScaleLevel], row: dict) -> ScaleLevel | None:
    """The scale level a snapshot's rating names: by its code, or (in snapshots made before
    the code was kept) by its label in any language."""
    code = row.get("rating_code")
    for level in levels:
        if (code and level.code == code) or (not code and row["rating"] in _labels(level)):
            return level
    return None


def commitments(reviews, today: datetime.date | None = None) -> dict[int, list[Commitment]]:
    """Review id -> every recommendation of its published report with the city's answer,
    its latest progress and whether it is overdue, with its indicators."""
    from reviews.models import FeedbackReport

    today = today or timezone.localdate()
    reports = list(
        FeedbackReport.objects.filter(review__in=list(reviews), published_at__isnull=False)
    )
    if not reports:
        return {}
    rows = plan_rows(reports, today)
    recommendation_ids = [row.recommendation.pk for mine in rows.values() for row in mine]
    indicators: dict[int, list[tuple[str, object]]] = {}
    links = Recommendation.indicators.through.objects.filter(
        recommendation_id__in=recommendation_ids
    ).values_list("recommendation_id", "indicator__code", "indicator__lineage")
    for recommendation_id, code, lineage in links.order_by("indicator__code"):
        indicators.setdefault(recommendation_id, []).append((code, lineage))
    decisions = dict(HostResponse.DECISION_CHOICES)
    statuses = dict(ProgressUpdate.STATUS_CHOICES)
    found: dict[int, list[Commitment]] = {}
    for report in reports:
        for row in rows[report.pk]:
            response = row.response
            linked = indicators.get(row.recommendation.pk, [])
            commitment = Commitment(
                number=row.recommendation.number,
                text=row.recommendation.text,
                decision=response.decision if response else "",
                decision_label=str(decisions[response.decision])
                if response
                else _("not answered yet"),
                progress_label=str(statuses[row.latest.status]) if row.latest else "",
                done=bool(row.latest and row.latest.status == ProgressUpdate.DONE),
                overdue=row.overdue,
                deadline=response.deadline if response else None,
                codes=[code for code, _lineage in linked],
                lineages={lineage for _code, lineage in linked},
            )
            found.setdefault(report.review_id, []).append(commitment)
    return found


def baseline_of(review: Review) -> dict:
    """{lineage: Earlier} for the review's baseline: what its peers see beside each indicator
    (empty without a baseline or before the baseline's report is published)."""
    baseline = review.baseline
    if baseline is None:
        return {}
    ratings = final_ratings([baseline]).get(baseline.pk, {})
    promised = commitments([baseline]).get(baseline.pk, [])
    lineages = set(ratings) | {lineage for c in promised for lineage in c.lineages}
    return {
        lineage: Earlier(
            baseline,
            ratings.get(lineage),
            [c for c in promised if lineage in c.lineages],
        )
        for lineage in lineages
    }


# --- a city's history ------------------------------------------------------------------------


@dataclass
class HostedReview:
    review: Review
    published_on: datetime.date | None
    may_open: bool  # the viewer is on it, or coordinates
    may_see_commitments: bool
    commitments: list[Commitment] = field(default_factory=list)
    recommendation_count: int = 0


@dataclass
class IndicatorHistory:
    code: str
    text: str
    ratings: list  # one Rating or None per published review, oldest first
    change: str  # "better", "worse", "same", "changed", "new" or "" (see `change_of`)


@dataclass
class CityHistory:
    reviews: list[HostedReview]
    published: list[HostedReview]
    indicators: list[IndicatorHistory]


def change_of(ratings: list) -> str:
    """What changed between the last two final ratings of an indicator."""
    given = [r for r in ratings if r is not None]
    if not given or ratings[-1] is None:
        return ""
    if len(given) == 1:
        return "new" if len(ratings) > 1 else ""
    before, now = given[-2], given[-1]
    if before.score is not None and now.score is not None:
        if now.score > before.score:
            return "better"
        if now.score < before.score:
            return "worse"
        return "same"
    return "same" if before.label == now.label else "changed"


def city_history(city, user) -> CityHistory:
    """Every review the city hosted that the viewer may see (theirs, or any with a published
    report), oldest first, with per indicator the final rating in each published report
    and what changed; the city's commitments for those who may see its action plan."""
    visible = Review.objects.for_user(user).filter(host_city=city).values("pk")
    hosted = list(
        Review.objects.filter(host_city=city)
        .filter(Q(pk__in=visible) | Q(feedback_report__published_at__isnull=False))
        .select_related("host_city", "benchmark_version__benchmark", "feedback_report")
        .order_by("created_at", "pk")
    )
    mine = {row["pk"] for row in visible}
    ratings = final_ratings(hosted)
    promised = commitments(hosted)
    rows = []
    for review in hosted:
        report = getattr(review, "feedback_report", None)
        published = report.published_at if report is not None else None
        see = bool(published) and user.has_perm("reviews.see_action_plan", review)
        rows.append(
            HostedReview(
                review=review,
                published_on=timezone.localdate(published) if published else None,
                may_open=review.pk in mine,
                may_see_commitments=see,
                commitments=promised.get(review.pk, []) if see else [],
                recommendation_count=len(promised.get(review.pk, [])),
            )
        )
    published = [r for r in rows if r.review.pk in ratings]
    return CityHistory(rows, published, _indicator_rows(published, ratings))


def _indicator_rows(published: list[HostedReview], ratings: dict) -> list[IndicatorHistory]:
    """One row per indicator lineage rated in any published review, in the latest version's
    matrix order, labelled by the latest version that has it."""
    if not published:
        return []
    lineages = {lineage for r in published for lineage in ratings[r.review.pk]}
    versions = [r.review.benchmark_version_id for r in reversed(published)]
    named: dict = {}
    order: dict = {}
    for rank, version in enumerate(dict.fromkeys(versions)):
        indicators = Indicator.objects.filter(version_id=version, lineage__in=lineages).for_matrix()
        for position, indicator in enumerate(indicators):
            if indicator.lineage not in named:
                named[indicator.lineage] = indicator
                order[indicator.lineage] = (rank, position)
    rows = []
    for lineage in sorted(named, key=order.get):
        cells = [ratings[r.review.pk].get(lineage) for r in published]
        indicator = named[lineage]
        rows.append(IndicatorHistory(indicator.code, indicator.text, cells, change_of(cells)))
    return rows
