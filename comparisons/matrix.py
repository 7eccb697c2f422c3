"""The cross-city matrix of a programme: indicators x cities, the team's final ratings.

Read in a fixed number of queries whatever the number of reviews: the reviews with their
reports, the viewer's roles in them, the indicators, the performance scale, the final
ratings and the self-ratings (one query each).

Which reviews a person sees: a published review for anyone who may open the programme; an
unpublished one only for whoever may see its evidence (its team, coordinators). The others
are listed as excluded with the reason. Cities are never put in an order by their ratings:
the columns follow the cities' names, the summaries are counts per rating level (the
spread), as the DIVE findings ask ("not a ranking exercise").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benchmarks.models import Indicator, RatingScale, ScaleLevel
from reviews.models import IndicatorEvaluation, Programme, Review, SelfAssessment
from reviews.rules import prime_roles

# How many of the largest self-rating vs team gaps a group's summary lists.
TOP_GAPS = 3

NOT_PUBLISHED = _("its report is not published yet")
NO_RATINGS = _("the team has not rated any indicator yet")


@dataclass
class Column:
    review: Review
    published: bool
    evaluation_open: bool  # may the viewer open the review's evaluation pages?

    @property
    def city(self):
        return self.review.host_city

    @cached_property
    def evaluation_prefix(self) -> str:
        """The review's evaluation URL without the indicator, escaped: reversed once per
        column, not once per cell (the pattern ends in ``<int:indicator>/``)."""
        url = reverse("reviews:evaluation", args=[self.review.pk, 0]).removesuffix("0/")
        return conditional_escape(url)

    @cached_property
    def city_html(self) -> str:
        return conditional_escape(self.city.name)


@dataclass
class Cell:
    column: Column
    rating: ScaleLevel | None
    self_rating: ScaleLevel | None
    # Self-rating score minus the team's score: positive when the city rated itself higher
    # than the team did; None when either has no score. Computed once, from the two.
    gap: object = field(init=False, default=None)

    def __post_init__(self):
        team, own = self.rating, self.self_rating
        if team is not None and own is not None and None not in (team.score, own.score):
            self.gap = own.score - team.score


@lru_cache(maxsize=64)
def swatch(colour: str) -> SafeString:
    """The level's colour square, as templates/reviews/evidence/_swatch.html draws it."""
    return format_html(
        '<svg width="14" height="14" aria-hidden="true" focusable="false">'
        '<rect width="14" height="14" rx="2" fill="{}"/></svg>',
        colour,
    )


class CellPieces:
    """The escaped pieces the cells of one matrix share, made once per level (on first use,
    in the language of the page): a matrix has thousands of cells, and a template include,
    a URL reverse or a translated label per cell would cost more than the rest of the page.
    Every piece is escaped here, so a cell is put together from them by plain formatting."""

    def __init__(self, levels: list[ScaleLevel]):
        self.levels = levels

    @cached_property
    def labels(self) -> dict[int, str]:
        return {level.pk: conditional_escape(level.label) for level in self.levels}

    @cached_property
    def rated(self) -> dict[int, str]:
        """A cell the viewer may not open: the level's swatch and label."""
        return {
            level.pk: f"{swatch(level.colour)} {self.labels[level.pk]}" for level in self.levels
        }

    @cached_property
    def not_rated_text(self) -> str:
        return conditional_escape(gettext("not rated"))

    @cached_property
    def not_rated(self) -> str:
        return f'<span class="text-body-secondary">{self.not_rated_text}</span>'

    def spread(self, spread: Spread) -> str:
        """A spread as templates/comparisons/_spread.html draws it."""
        items = "".join(
            f"<li>{self.rated[level.pk]}: {localize(count)}</li>" for level, count in spread.entries
        )
        if spread.unrated:
            items += f"<li>{self.not_rated_text}: {localize(spread.unrated)}</li>"
        return f'<ul class="list-unstyled mb-0 spread">{items}</ul>'

    @cached_property
    def notes(self) -> dict[bool, str]:  # the gap's note, by "self-rated higher"
        return {
            True: gettext("self-rated higher: %(self)s"),
            False: gettext("self-rated lower: %(self)s"),
        }

    def cell(self, cell: Cell, indicator_pk: int, code: str) -> str:
        """One cell, escaped: the team's rating (a link to the review's evaluation page when
        the viewer may open it) and the gap to the self-rating."""
        rating, column = cell.rating, cell.column
        if rating is None:
            html = self.not_rated
        elif column.evaluation_open:
            html = (
                f'{swatch(rating.colour)} <a href="{column.evaluation_prefix}{indicator_pk}/">'
                f"{self.labels[rating.pk]}"
                f'<span class="visually-hidden"> ({column.city_html}, {code})</span></a>'
            )
        else:
            html = self.rated[rating.pk]
        if cell.gap:
            # As {% blocktranslate %} does: the translation as is, the label escaped.
            note = self.notes[cell.gap > 0] % {"self": self.labels[cell.self_rating.pk]}
            html = f'{html}<br><small class="text-body-secondary">{note}</small>'
        return html


@dataclass
class Spread:
    """How many cities at each level of the scale, in the scale's order (never by count)."""

    levels: list[ScaleLevel]
    counts: Counter
    unrated: int = 0

    @property
    def entries(self) -> list[tuple[ScaleLevel, int]]:
        return [(level, self.counts[level.pk]) for level in self.levels]

    @property
    def rated(self) -> int:
        return sum(self.counts.values())


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]
    spread: Spread
    below: int  # cities below the benchmark on it
    comparable: bool = True  # in every compared review's version (through its lineage)
    reworded: bool = False  # its text differs in another compared version

    pieces: CellPieces | None = field(default=None, repr=False)

    @cached_property
    def cells_html(self) -> SafeString:
        """The row's cells as table cells, for the matrix's page (see CellPieces)."""
        pk, code = self.indicator.pk, conditional_escape(self.indicator.code)
        cells = "".join(f"<td>{self.pieces.cell(cell, pk, code)}</td>" for cell in self.cells)
        return mark_safe(cells)  # noqa: S308 - every piece escaped by CellPieces

    @cached_property
    def spread_html(self) -> SafeString:
        return mark_safe(self.pieces.spread(self.spread))  # noqa: S308 - escaped by CellPieces

    @property
    def shared_weakness(self) -> bool:
        """Below the benchmark in at least half the cities that were rated on it."""
        return self.spread.rated > 0 and 2 * self.below >= self.spread.rated


@dataclass
class GroupBlock:
    group: object
    rows: list[Row]
    spread: Spread
    cities_below: int  # cities below the benchmark on at least one of its indicators
    gaps: list[tuple[Row, Cell]] = field(default_factory=list)

    @property
    def shared_weaknesses(self) -> list[Row]:
        return [row for row in self.rows if row.shared_weakness]


@dataclass
class Excluded:
    review: Review
    reason: str


@dataclass
class CityMatrix:
    programme: Programme | None
    version: object
    comparable: int  # indicators comparable across every compared review's version
    indicator_count: int
    columns: list[Column]
    excluded: list[Excluded]
    levels: list[ScaleLevel]
    below_level: ScaleLevel | None
    groups: list[GroupBlock]
    all_groups: list
    chosen_group: object | None
    published: list[Review]  # every published review of the programme, rated or not

    @cached_property
    def column_headers(self) -> SafeString:
        """The cities' header cells, the same above every group's table: made once."""
        badge = format_html(
            ' <span class="badge text-bg-secondary">{}</span>', gettext("not published")
        )
        return format_html_join(
            "",
            '<th scope="col">{}{}</th>',
            ((column.city.name, "" if column.published else badge) for column in self.columns),
        )


def performance_levels(version) -> list[ScaleLevel]:
    return list(
        ScaleLevel.objects.filter(
            scale__version=version, scale__purpose=RatingScale.PERFORMANCE
        ).order_by("order")
    )


def below_level_of(levels: list[ScaleLevel]) -> ScaleLevel | None:
    """ "Below the benchmark": the scale's level with the lowest score (levels without a
    score, such as "more information needed", are never below)."""
    scored = [level for level in levels if level.score is not None]
    return min(scored, key=lambda level: (level.score, level.order)) if scored else None


def visible_reviews(reviews, user) -> tuple[list[Column], list[Excluded]]:
    """The reviews the viewer sees ratings of, and those left out with why."""
    reviews = list(
        reviews.select_related("host_city", "feedback_report").order_by(
            "host_city__name", "created_at", "pk"
        )
    )
    prime_roles(user, reviews)
    columns, excluded = [], []
    for review in reviews:
        report = getattr(review, "feedback_report", None)
        published = bool(report and report.published_at)
        open_to_viewer = user.has_perm("reviews.see_evidence", review)
        if published or open_to_viewer:
            columns.append(Column(review, published, open_to_viewer))
        else:
            excluded.append(Excluded(review, str(NOT_PUBLISHED)))
    return columns, excluded


def build_matrix(programme: Programme, user, *, group_code: str | None = None) -> CityMatrix:
    return compare_reviews(
        programme.reviews.all(),
        programme.benchmark_version,
        user,
        group_code=group_code,
        programme=programme,
    )


def compare_reviews(
    reviews, version, user, *, group_code: str | None = None, programme=None
) -> CityMatrix:
    """The matrix of `reviews` with the indicators of `version` as rows. Reviews on other
    versions of the benchmark are matched through each indicator's lineage: a row whose
    lineage is missing from a review's version is not comparable (its cell stays empty), a
    reworded one is marked, and an indicator removed by `version` is never a row."""
    columns, excluded = visible_reviews(reviews, user)
    published = [column.review for column in columns if column.published]
    indicators = every_indicator = list(version.indicators.for_matrix())
    all_groups = list(dict.fromkeys(indicator.group for indicator in indicators))
    chosen = next((g for g in all_groups if g.code == group_code), None)
    if chosen is not None:
        indicators = [i for i in indicators if i.group_id == chosen.pk]
    levels = performance_levels(version)
    pieces = CellPieces(levels)
    by_code = {level.code: level for level in levels}
    below = below_level_of(levels)
    ids = [column.review.pk for column in columns]
    other_versions = {c.review.benchmark_version_id for c in columns} - {version.pk}
    texts: dict = {}  # version id -> {lineage: text}
    # Each indicator's lineage by its id: read once per indicator, not once per rating (a
    # network has thousands of ratings, and a UUID read from the database costs).
    lineages = {indicator.pk: indicator.lineage for indicator in every_indicator}
    for pk, version_id, lineage, text in Indicator.objects.filter(
        version_id__in=other_versions
    ).values_list("pk", "version_id", "lineage", "text"):
        texts.setdefault(version_id, {})[lineage] = text
        lineages[pk] = lineage
    team = IndicatorEvaluation.objects.filter(review_id__in=ids, rating__isnull=False)
    team = list(team.values_list("review_id", "indicator_id", "rating__code"))
    own = SelfAssessment.objects.filter(report__review_id__in=ids, rating__isnull=False)
    own = list(own.values_list("report__review_id", "indicator_id", "rating__code"))
    missing = {indicator_id for _r, indicator_id, _c in team + own} - lineages.keys()
    if missing:  # rated on a version none of the reviews is on now
        lineages.update(Indicator.objects.filter(pk__in=missing).values_list("pk", "lineage"))
    # Ratings by lineage and level code: a level of another version is its namesake here.
    ratings = {(review_id, lineages[i]): code for review_id, i, code in team}
    self_ratings = {(review_id, lineages[i]): code for review_id, i, code in own}
    rated_reviews = {review_id for (review_id, _lineage) in ratings}
    kept = []
    for column in columns:
        if column.review.pk in rated_reviews:
            kept.append(column)
        else:
            excluded.append(Excluded(column.review, str(NO_RATINGS)))
    columns = kept

    # The other versions' texts the compared reviews use (one entry per version, in one pass).
    elsewhere = [
        texts[version_id]
        for version_id in dict.fromkeys(c.review.benchmark_version_id for c in columns)
        if version_id in texts
    ]
    keyed = [(column, column.review.pk) for column in columns]
    blocks: dict[int, GroupBlock] = {}
    for indicator in indicators:
        key = indicator.lineage
        cells = [
            Cell(
                column,
                by_code.get(ratings.get((review_id, key))),
                by_code.get(self_ratings.get((review_id, key))),
            )
            for column, review_id in keyed
        ]
        comparable = all(key in found for found in elsewhere)
        reworded = any(key in found and found[key] != indicator.text for found in elsewhere)
        counts = Counter(cell.rating.pk for cell in cells if cell.rating)
        row = Row(
            indicator,
            cells,
            Spread(levels, counts, unrated=sum(cell.rating is None for cell in cells)),
            below=counts[below.pk] if below else 0,
            comparable=comparable,
            reworded=reworded,
            pieces=pieces,
        )
        block = blocks.setdefault(
            indicator.group_id, GroupBlock(indicator.group, [], Spread(levels, Counter()), 0)
        )
        block.rows.append(row)
        block.spread.counts.update(counts)
        block.spread.unrated += row.spread.unrated
    for block in blocks.values():
        block.cities_below = (
            len(
                {
                    n
                    for row in block.rows
                    for n, cell in enumerate(row.cells)
                    if cell.rating is not None and cell.rating.pk == below.pk
                }
            )
            if below
            else 0
        )
        gaps = [(row, cell) for row in block.rows for cell in row.cells if cell.gap]
        gaps.sort(
            key=lambda pair: (-abs(pair[1].gap), pair[0].indicator.pk, pair[1].column.city.name)
        )
        block.gaps = gaps[:TOP_GAPS]
    return CityMatrix(
        programme=programme,
        version=version,
        comparable=sum(row.comparable for block in blocks.values() for row in block.rows),
        indicator_count=len(indicators),
        columns=columns,
        excluded=sorted(excluded, key=lambda e: (e.review.host_city.name, e.review.pk)),
        levels=levels,
        below_level=below,
        groups=list(blocks.values()),
        all_groups=all_groups,
        chosen_group=chosen,
        published=published,
    )
