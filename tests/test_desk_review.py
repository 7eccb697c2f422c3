"""Step 4: independent desk reviews, the team view, consolidation, information requests."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.models import (
    ConsolidatedEntry,
    DeskReview,
    DeskReviewEntry,
    InformationRequest,
    Membership,
)
from reviews.models.desk_review import levels_disagree
from reviews.services import desk_review_for, submit_inception_report


@pytest.fixture
def submitted(review_work, review, host):
    submit_inception_report(review=review, by=host, reason="The rest follows.")
    return review


@pytest.fixture
def second_peer(make_user, review):
    user = make_user(email="peer2@example.org", name="Mikko Second")
    Membership.objects.create(review=review, user=user, role="peer")
    return user


def level(review, code):
    return review.benchmark_version.ratingscales.get(purpose="performance").levels.get(code=code)


def group_pk(review, code="AA"):
    return review.benchmark_version.groups.get(code=code).pk


def entry_data(review, code, **fields):
    indicator = review.benchmark_version.indicators.get(code=code)
    data = {f"i{indicator.pk}-edit_version": fields.pop("edit_version", 0)}
    for name, value in fields.items():
        data[f"i{indicator.pk}-{name}"] = value
    return data


def write(review, user, code, performance, hypothesis="H", submit=False):
    desk = desk_review_for(review=review, peer=user)
    DeskReviewEntry.objects.create(
        desk_review=desk,
        indicator=review.benchmark_version.indicators.get(code=code),
        performance=level(review, performance),
        hypothesis=hypothesis,
    )
    if submit:
        desk.submit()
    return desk


def test_peer_writes_a_group_with_the_self_assessment_beside(client_for, peer, submitted):
    url = reverse("reviews:desk_review_group", args=[submitted.pk, group_pk(submitted)])
    page = client_for(peer).get(url).content.decode()
    assert "The host city says" in page
    data = {
        **entry_data(
            submitted,
            "AA/X/1",
            performance=level(submitted, "above").pk,
            hypothesis="Plan exists, impact unclear",
            questions="Who monitors it?",
        ),
        **entry_data(submitted, "AA/X/2"),
        **entry_data(submitted, "AA/Y/1"),
    }
    assert client_for(peer).post(url, data).status_code == 302
    entry = DeskReviewEntry.objects.get()
    assert (entry.indicator.code, entry.hypothesis) == ("AA/X/1", "Plan exists, impact unclear")


@pytest.mark.parametrize("url_name", ["reviews:desk_review_team"], ids=["team-view"])
def test_blindness_until_the_own_desk_review_is_submitted(
    client_for, peer, second_peer, team_leader, coordinator, host, outsider, submitted, url_name
):
    write(
        submitted, second_peer, "AA/X/1", "well_above", hypothesis="SECRET-HYPOTHESIS", submit=True
    )
    url = reverse(url_name, args=[submitted.pk, group_pk(submitted)])
    # Not yet submitted: no peer content by any URL.
    assert client_for(peer).get(url).status_code == 403
    assert client_for(team_leader).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(host).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    progress = (
        client_for(team_leader)
        .get(reverse("reviews:desk_review", args=[submitted.pk]))
        .content.decode()
    )
    assert "SECRET-HYPOTHESIS" not in progress and "Mikko Second" in progress
    # After submitting their own, a peer sees the others.
    write(submitted, peer, "AA/X/1", "below", submit=True)
    html = client_for(peer).get(url).content.decode()
    assert "SECRET-HYPOTHESIS" in html
    assert "peers disagree by more than one level" in html
    # Coordinators see content once every team member has submitted.
    assert client_for(coordinator).get(url).status_code == 403
    write(submitted, team_leader, "AA/X/1", "above", submit=True)
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(host).get(url).status_code == 403


def test_a_submitted_desk_review_is_locked(client_for, peer, submitted):
    desk = write(submitted, peer, "AA/X/1", "above", submit=True)
    entry = desk.entries.get()
    entry.hypothesis = "changed"
    with pytest.raises(ValidationError, match="submitted"):
        entry.save()
    entry.refresh_from_db()
    assert entry.hypothesis == "H"
    response = client_for(peer).get(
        reverse("reviews:desk_review_group", args=[submitted.pk, group_pk(submitted)])
    )
    assert response.status_code == 302


def test_disagreement_is_more_than_one_level_apart(submitted):
    below, above, well, more = (
        level(submitted, c) for c in ("below", "above", "well_above", "more_info")
    )
    assert levels_disagree([below, well])
    assert not levels_disagree([below, above])
    assert not levels_disagree([above, well, more])
    assert not levels_disagree([more])


def test_team_leader_consolidates_after_submitting(client_for, peer, team_leader, submitted):
    write(submitted, peer, "AA/X/1", "above", submit=True)
    write(submitted, team_leader, "AA/X/1", "above", submit=True)
    url = reverse("reviews:desk_review_team", args=[submitted.pk, group_pk(submitted)])
    indicator = submitted.benchmark_version.indicators.get(code="AA/X/1")
    data = {
        f"c{i.pk}-edit_version": 0 for i in submitted.indicators_in_scope().filter(group__code="AA")
    }
    data |= {
        f"c{indicator.pk}-rating": level(submitted, "above").pk,
        f"c{indicator.pk}-hypothesis": "Plan works, monitoring weak",
    }
    assert client_for(team_leader).post(url, data).status_code == 302
    assert ConsolidatedEntry.objects.get().hypothesis == "Plan works, monitoring weak"
    assert client_for(peer).post(url, data).status_code == 403
    assert "Plan works, monitoring weak" in client_for(peer).get(url).content.decode()


def test_information_request_round_trip(
    client_for, peer, host, submitted, django_capture_on_commit_callbacks
):
    InformationRequest.objects.all().delete()
    url = reverse("reviews:requests", args=[submitted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(peer).post(url, {"question": "How many staff work on integration?"})
    item = InformationRequest.objects.get()
    assert mail.outbox[-1].to == [host.email]
    answer = reverse("reviews:request_answer", args=[submitted.pk, item.pk])
    response = client_for(host).post(answer, {"answer": "", "edit_version": 1})
    assert 'href="#id_answer"' in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF_BYTES

    client_for(host).post(
        answer,
        {
            "answer": "Twelve, in two teams.",
            "edit_version": 1,
            "attachment": SimpleUploadedFile("staff.pdf", PDF_BYTES),
        },
    )
    item.refresh_from_db()
    assert item.is_answered and item.answered_by == host
    html = client_for(peer).get(url).content.decode()
    assert "Twelve, in two teams." in html and "staff.pdf" in html
    assert client_for(peer).get(answer).status_code == 403


def test_a_file_chosen_with_an_empty_answer_is_kept_for_the_answer(client_for, host, submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reviews.models import Attachment, HeldUpload
    from tests.conftest import PDF_BYTES

    item = InformationRequest.objects.get()
    answer = reverse("reviews:request_answer", args=[submitted.pk, item.pk])
    upload = SimpleUploadedFile("staff.pdf", PDF_BYTES)
    response = client_for(host).post(
        answer, {"answer": "", "edit_version": 1, "attachment": upload}
    )
    html = response.content.decode()
    assert "Write an answer." in html
    held = HeldUpload.objects.get()
    assert "Kept: staff.pdf. It is attached when you save" in html
    assert f'name="held_attachment" value="{held.pk}"' in html
    response = client_for(host).post(
        answer, {"answer": "Twelve.", "edit_version": 1, "held_attachment": held.pk}
    )
    assert response.status_code == 302
    assert Attachment.objects.get(original_name="staff.pdf").request == item
    assert not HeldUpload.objects.exists()


def test_questions_flagged_in_the_desk_review_become_requests(client_for, peer, submitted):
    url = reverse("reviews:desk_review_group", args=[submitted.pk, group_pk(submitted)])
    data = {
        **entry_data(
            submitted,
            "AA/X/1",
            performance=level(submitted, "more_info").pk,
            questions="Send the budget table",
            ask_host="on",
        ),
        **entry_data(submitted, "AA/X/2", questions="", ask_host="on"),
        **entry_data(submitted, "AA/Y/1"),
    }
    response = client_for(peer).post(url, data)
    assert "Write the questions to send to the host city" in response.content.decode()
    aa_x_2 = submitted.benchmark_version.indicators.get(code="AA/X/2")
    del data[f"i{aa_x_2.pk}-ask_host"]
    client_for(peer).post(url, data)
    assert InformationRequest.objects.filter(question="Send the budget table").exists()


@pytest.mark.parametrize("peers", [1, 5])
def test_team_view_query_count_does_not_grow_with_peers(
    client_for, make_user, submitted, django_assert_max_num_queries, peers
):
    viewer = None
    for _ in range(peers):
        user = make_user()
        Membership.objects.create(review=submitted, user=user, role="peer")
        write(submitted, user, "AA/X/1", "above", submit=True)
        viewer = user
    # The team leader's consolidated view, with a rating, for every indicator of the group.
    rating = level(submitted, "above")
    for indicator in submitted.indicators_in_scope().filter(group__code="AA"):
        ConsolidatedEntry.objects.get_or_create(
            review=submitted, indicator=indicator, defaults={"rating": rating}
        )
    client = client_for(viewer)
    with django_assert_max_num_queries(15):  # measured: 15 at 1 peer and at 5
        response = client.get(
            reverse("reviews:desk_review_team", args=[submitted.pk, group_pk(submitted)])
        )
    assert response.status_code == 200
    assert DeskReview.objects.count() >= peers


def test_questions_to_the_host_are_limited_per_hour(client_for, peer, submitted, settings):
    settings.POSTING_LIMIT_PER_HOUR = 2
    InformationRequest.objects.all().delete()
    url = reverse("reviews:requests", args=[submitted.pk])
    before = 0
    for n in range(3):
        response = client_for(peer).post(url, {"question": f"Question {n}?"})
    assert "many questions this hour" in response.content.decode()
    assert InformationRequest.objects.count() == before + 2


def test_team_leaders_consolidation_view_stays_within_budget(
    client_for, team_leader, submitted, django_assert_max_num_queries
):
    write(submitted, team_leader, "AA/X/1", "above", submit=True)
    client = client_for(team_leader)
    url = reverse("reviews:desk_review_team", args=[submitted.pk, group_pk(submitted)])
    with django_assert_max_num_queries(15):  # measured: 15 with the consolidation forms
        response = client.get(url)
    assert response.status_code == 200
    # The team leader gets the consolidation form of each indicator of the group.
    indicator = submitted.benchmark_version.indicators.get(code="AA/X/1")
    assert f'name="c{indicator.pk}-hypothesis"' in response.content.decode()


def test_team_view_names_whom_each_peer_wants_to_meet_and_the_others(
    client_for, peer, team_leader, submitted
):
    from reviews.models import ProposedInterviewee

    desk = write(submitted, peer, "AA/X/1", "above")
    entry = desk.entries.get()
    for name in ("Ada Alderman", "Bo Budget"):
        entry.meet.add(
            ProposedInterviewee.objects.create(
                review=submitted, name=name, organisation="City", kind="staff"
            )
        )
    entry.meet_others = "the youth council"
    entry.save()
    desk.submit()
    write(submitted, team_leader, "AA/X/1", "below", submit=True)  # blind until then
    url = reverse("reviews:desk_review_team", args=[submitted.pk, group_pk(submitted)])
    html = client_for(team_leader).get(url).content.decode()
    assert "<td>Ada Alderman, Bo Budget, the youth council</td>" in html
