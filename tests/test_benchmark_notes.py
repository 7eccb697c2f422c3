"""Benchmark revision from use: remarks on indicators flagged "for the benchmark" in desk
reviews, evaluations and self-assessments, listed beside each indicator of the next draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from benchmarks.models import IndicatorComment
from benchmarks.services import start_new_draft
from reviews.services import submit_inception_report
from tests.conftest import build_programme


@pytest.fixture
def used(review_work, review, host, peer, team_leader):
    """The review, in a programme, with its inception report submitted."""
    build_programme(review, peers=[peer, team_leader])
    submit_inception_report(review=review, by=host, reason="The rest follows.")
    return review


def indicator(review, code="AA/X/1"):
    return review.benchmark_version.indicators.get(code=code)


def group_data(review, target, model, **filters) -> dict:
    """The group page's forms as they stand (their versions), for the group of `target`."""
    data = {}
    for other in review.indicators_in_scope().filter(group_id=target.group_id):
        row = model.objects.filter(indicator=other, **filters).first()
        data[f"i{other.pk}-edit_version"] = row.edit_version if row else 0
    return data


def post_desk_review(client, review, code, note):
    from reviews.models import DeskReviewEntry

    target = indicator(review, code)
    data = group_data(review, target, DeskReviewEntry, desk_review__review=review)
    data[f"i{target.pk}-benchmark_note"] = note
    return client.post(
        reverse("reviews:desk_review_group", args=[review.pk, target.group_id]), data
    )


def test_a_peers_remark_in_a_desk_review_is_listed_beside_the_indicator_in_the_next_draft(
    client_for, used, peer, coordinator
):
    response = post_desk_review(
        client_for(peer), used, "AA/X/1", "Too prescriptive for a city without powers."
    )
    assert response.status_code == 302
    comment = IndicatorComment.objects.get()
    assert (comment.kind, comment.author, comment.indicator) == (
        IndicatorComment.DESK_REVIEW,
        peer,
        indicator(used),
    )
    assert comment.origin == "Review of Rotterdam · INTI-CITIES 2026"
    draft = start_new_draft(used.benchmark_version)
    html = (
        client_for(coordinator)
        .get(reverse("benchmarks:version", args=[draft.benchmark.slug, draft.number]))
        .content.decode()
    )
    line = html[html.index(f'href="{draft.indicators.get(code="AA/X/1").get_absolute_url()}"') :]
    line = line[: line.index("</li>\n")]
    assert "Too prescriptive for a city without powers." in line
    assert "Desk review, Review of Rotterdam · INTI-CITIES 2026, Fatima Peer" in line
    assert "1 remark from reviews of earlier versions" in html


def test_the_teams_evaluation_flags_a_remark_too(client_for, used, team_leader):
    target = indicator(used, "AA/Y/1")
    response = client_for(team_leader).post(
        reverse("reviews:evaluation", args=[used.pk, target.pk]),
        {"benchmark_note": "Two indicators in one.", "edit_version": 0},
    )
    assert response.status_code == 302
    comment = IndicatorComment.objects.get()
    assert (comment.kind, comment.text, comment.indicator) == (
        IndicatorComment.EVALUATION,
        "Two indicators in one.",
        target,
    )


def test_the_host_flags_a_remark_on_its_self_assessment_page(client_for, review_work, review, host):
    from reviews.models import SelfAssessment

    build_programme(review)
    target = indicator(review, "AA/X/1")
    data = group_data(review, target, SelfAssessment, report=review.inception_report)
    data[f"i{target.pk}-benchmark_note"] = "Unclear wording."
    response = client_for(host).post(
        reverse("reviews:inception_group", args=[review.pk, target.group_id]), data
    )
    assert response.status_code == 302
    comment = IndicatorComment.objects.get()
    assert (comment.kind, comment.text, comment.author) == (
        IndicatorComment.SELF_ASSESSMENT,
        "Unclear wording.",
        host,
    )


def test_changing_the_remark_changes_the_comment_and_emptying_it_removes_it(client_for, used, peer):
    client = client_for(peer)
    post_desk_review(client, used, "AA/X/1", "First thought.")
    post_desk_review(client, used, "AA/X/1", "Second thought.")
    assert list(IndicatorComment.objects.values_list("text", flat=True)) == ["Second thought."]
    post_desk_review(client, used, "AA/X/1", "")
    assert not IndicatorComment.objects.exists()
    assert IndicatorComment.history.filter(text="First thought.").exists()


def test_remarks_from_reviews_are_for_coordinators_only(
    client_for, used, peer, outsider, coordinator
):
    post_desk_review(client_for(peer), used, "AA/X/1", "Too prescriptive.")
    target = indicator(used)
    url = reverse(
        "benchmarks:indicator",
        args=[used.benchmark_version.benchmark.slug, used.benchmark_version.number, target.pk],
    )
    assert "Too prescriptive." not in client_for(outsider).get(url).content.decode()
    assert "Too prescriptive." in client_for(coordinator).get(url).content.decode()
    draft = start_new_draft(used.benchmark_version)
    from benchmarks.models import VersionReviewer

    VersionReviewer.objects.create(version=draft, user=outsider)
    draft_page = reverse("benchmarks:version", args=[draft.benchmark.slug, draft.number])
    assert "Too prescriptive." not in client_for(outsider).get(draft_page).content.decode()
