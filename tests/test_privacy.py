"""The personal data of the people interviewed: the retention period and the command that
ends it, the data-subject access report and the erasure of one person."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    DeskReview,
    DeskReviewEntry,
    PrivacySettings,
    ProposedInterviewee,
    ReviewEvent,
    VisitSession,
)
from reviews.models.feedback_report import add_months
from reviews.services.privacy import Names, Person, people_of, retention
from tests.test_follow_up import publish_report

LONG_AGO = timezone.now() - datetime.timedelta(days=3 * 365)
NAMES = ("Ayse Demir", "Pieter Bakker", "Mila Jansen")
CONTACTS = ("ayse@council.example", "+31 10 123 4567")
UNLISTED = "Kees Smit"


def occurrences(*needles: str) -> dict[str, list[str]]:
    """Where each needle occurs, in any case, in any text or JSON column of any table of the
    database (every app, history tables included): "app.Model.column#pk" per row."""
    found: dict[str, list[str]] = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        columns = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not columns:
            continue
        for row in model._base_manager.order_by("pk").values_list(
            "pk", *[f.attname for f in columns]
        ):
            for column, value in zip(columns, row[1:], strict=True):
                if isinstance(column, models.JSONField):
                    value = json.dumps(value, ensure_ascii=False)
                for needle in needles:
                    if value and needle.casefold() in str(value).casefold():
                        found[needle].append(f"{model._meta.label}.{column.name}#{row[0]}")
    return dict(found)


def snapshot() -> dict:
    """Every row of every table, to show that nothing changed."""
    return {
        model._meta.label: list(
            model._base_manager.order_by("pk").values_list(
                *[f.attname for f in model._meta.concrete_fields]
            )
        )
        for model in apps.get_models(include_auto_created=True)
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command("pseudonymise_interviewees", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def interviewed(review_work, review, peer, team_leader):
    """A published review whose three interviewees are named in their rows and history,
    the interview that lists them, a session title, evidence, a desk review, an answer to
    an information request and the frozen report; published three years ago."""
    ayse = review_work["person"]  # "Ayse Demir", named
    ayse.contact = "ayse@council.example"
    ayse.save()
    pieter = ProposedInterviewee.objects.create(
        review=review,
        name="Pieter Bakker",
        organisation="Alderman for integration",
        kind="politician",
        contact="+31 10 123 4567",
    )
    mila = ProposedInterviewee.objects.create(
        review=review,
        name="Mila Jansen",
        organisation="Language course participant",
        kind="service_user",
        attribution=ProposedInterviewee.OFF_RECORD,
    )
    interview = review.visit_sessions.get(kind=VisitSession.INTERVIEW)
    interview.interviewees.set([ayse, pieter, mila])
    VisitSession.objects.create(
        review=review,
        kind=VisitSession.PREPARATION,
        title="Lunch with AYSE DEMIR",
        starts_at="2027-03-01T12:00:00Z",
        ends_at="2027-03-01T13:00:00Z",
    )
    evidence = review.evidence.get()
    evidence.text = "Ayse Demir said the council meets four times a year."
    evidence.context = "Pieter Bakker confirmed it."
    evidence.save()
    desk = DeskReview.objects.create(review=review, peer=peer)
    entry = DeskReviewEntry.objects.create(
        desk_review=desk,
        indicator=review.indicators_in_scope().first(),
        hypothesis="The council is not heard.",
        questions="Ask ayse demir how members are appointed.",
        meet_others=f"{UNLISTED}, head of the job centre",
    )
    entry.meet.set([ayse])
    request = review.information_requests.get()
    request.answer = "Contact Ayse Demir at the council."
    request.save()
    publish_report(review, by=team_leader, published_at=LONG_AGO)
    return {
        "ayse": ayse,
        "pieter": pieter,
        "mila": mila,
        "entry": entry,
        "team": [peer, team_leader],
    }


# --- The command at the end of the retention period -----------------------------------


def test_command_leaves_no_interviewee_name_or_contact_anywhere_in_the_database(interviewed):
    needles = (*NAMES, *CONTACTS, UNLISTED)
    assert set(occurrences(*needles)) == set(needles)  # they were there, history included

    run()

    assert occurrences(*needles) == {}
    people = {p.name: p for p in ProposedInterviewee.objects.all()}
    assert set(people) == {"Immigrant organisation 1", "Politician 1", "Service user 1"}
    assert people["Service user 1"].attribution == ProposedInterviewee.OFF_RECORD
    assert people["Politician 1"].organisation == "Alderman for integration"
    assert all(p.contact == "" for p in people.values())


def test_command_rewrites_the_frozen_report_and_the_text_with_the_pseudonym(interviewed, review):
    run()

    content = review.feedback_report.final_version.content
    assert {row["name"] for row in content["interviewees"]} == {
        "Immigrant organisation 1 (Migrant council, chair)",
        "Politician 1 (Alderman for integration)",
    }
    assert "Lunch with Immigrant organisation 1" in [row["label"] for row in content["timetable"]]
    evidence = review.evidence.get()
    assert evidence.text == "Immigrant organisation 1 said the council meets four times a year."
    assert evidence.history.earliest().text == "The plan is monitored yearly."
    assert interviewed["entry"].history.model.objects.filter(meet_others__gt="").count() == 0


def test_command_records_one_line_in_the_review_history_without_names(interviewed, review):
    run()

    event = ReviewEvent.objects.get(review=review)
    assert event.verb == ReviewEvent.RETENTION_ENDED
    assert event.actor is None
    assert event.note == "Immigrant organisation 1, Politician 1, Service user 1"


def test_dry_run_changes_nothing_and_prints_the_counts(interviewed, review):
    before = snapshot()

    printed = run("--dry-run")

    assert snapshot() == before
    assert "would pseudonymise 3 interviewee(s)" in printed
    assert "    reviews.Evidence.text: 1\n" in printed
    assert "    reviews.HistoricalProposedInterviewee.name: " in printed
    assert "    reviews.ReportVersion.content: 1\n" in printed
    assert "Dry run: 1 of 1 review(s) would change; nothing changed." in printed


def test_second_run_changes_nothing(interviewed, review):
    run()
    after_first = snapshot()

    printed = run()

    assert snapshot() == after_first
    assert "nothing to change." in printed
    assert "Done: 0 of 1 review(s) changed." in printed
    assert ReviewEvent.objects.filter(review=review).count() == 1


def test_review_within_its_retention_period_keeps_the_names(interviewed, review):
    review.feedback_report.published_at = timezone.now() - datetime.timedelta(days=30)
    review.feedback_report.save(update_fields=["published_at"])

    printed = run()

    assert "No review's retention period has ended; nothing changed." in printed
    assert set(occurrences(*NAMES)) == set(NAMES)


def test_review_own_period_overrides_the_network_default(interviewed, review):
    review.retention_months = 48  # three years after publication: not yet
    review.save()
    assert run(f"--review={review.pk}").endswith("nothing changed.\n")
    assert set(occurrences(*NAMES)) == set(NAMES)

    review.retention_months = None
    review.save()
    PrivacySettings.objects.create(pk=1, retention_months=60)
    assert "No review's retention period has ended" in run()

    PrivacySettings.objects.filter(pk=1).update(retention_months=12)
    run()
    assert occurrences(*NAMES) == {}


def test_someone_removed_from_the_list_is_pseudonymised_in_the_history(interviewed, review):
    pieter = interviewed["pieter"].pk
    interviewed["pieter"].delete()

    run()

    assert occurrences("Pieter Bakker", "+31 10 123 4567") == {}
    history = ProposedInterviewee.history.filter(id=pieter)
    assert set(history.values_list("name", flat=True)) == {"Politician 1"}


def test_pseudonyms_are_numbered_per_kind_and_stable(interviewed, review, coordinator, client_for):
    sanne = ProposedInterviewee.objects.create(
        review=review, name="Sanne Visser", organisation="Councillor", kind="politician"
    )
    pieter = interviewed["pieter"].pk
    interviewed["pieter"].delete()  # the first politician, by id, is gone but counts
    client_for(coordinator).post(reverse("reviews:person_pseudonymise", args=[review.pk, sanne.pk]))
    sanne.refresh_from_db()
    assert sanne.name == "Politician 2"

    run()

    sanne.refresh_from_db()
    assert sanne.name == "Politician 2"
    assert set(ProposedInterviewee.history.filter(id=pieter).values_list("name", flat=True)) == {
        "Politician 1"
    }


def test_someone_elses_longer_name_stays_whole(interviewed, review, coordinator, client_for):
    ProposedInterviewee.objects.create(
        review=review, name="Ayse Demir-Kaya", organisation="Neighbourhood team", kind="staff"
    )
    evidence = review.evidence.get()
    evidence.text = "Ayse Demir and Ayse Demir-Kaya disagreed."
    evidence.save()

    client_for(coordinator).post(
        reverse("reviews:person_pseudonymise", args=[review.pk, interviewed["ayse"].pk])
    )

    evidence.refresh_from_db()
    assert evidence.text == "Immigrant organisation 1 and Ayse Demir-Kaya disagreed."
    assert ProposedInterviewee.objects.filter(name="Ayse Demir-Kaya").exists()


def test_names_are_found_as_whole_words_in_any_case():
    person = Person(
        pk=1,
        review_id=1,
        name="Ayşe Demir",
        organisation="",
        kind="staff",
        contact="",
        attribution="named",
        deleted=False,
        names={"Ayşe Demir", "Ayse Demir"},
    )
    names = Names([person], {1: "City staff 1"})
    assert (
        names.sub("AYŞE DEMIR said; ayse demir agreed.")
        == "City staff 1 said; City staff 1 agreed."
    )
    assert names.sub("Ayse Demirel spoke.") == "Ayse Demirel spoke."


# --- Retention shown and set ------------------------------------------------------------


def test_retention_end_is_shown_to_the_team_and_coordinators_not_the_host(
    interviewed, review, peer, host, coordinator, client_for
):
    url = reverse("reviews:detail", args=[review.pk])
    assert retention(review).ends_on == add_months(timezone.localdate(LONG_AGO), 24)
    for person in (peer, coordinator):
        page = client_for(person).get(url).content.decode()
        assert "Retention ends on" in page
    assert "Retention ends on" not in client_for(host).get(url).content.decode()
    link = reverse("reviews:privacy_review", args=[review.pk])
    assert link in client_for(coordinator).get(url).content.decode()
    assert link not in client_for(peer).get(url).content.decode()


def test_coordinator_sets_the_network_default(coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("reviews:privacy")

    response = client.post(url, {"retention_months": "0", "edit_version": "1"})
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert PrivacySettings.current().retention_months == 24

    assert client.post(url, {"retention_months": "36", "edit_version": "1"}).status_code == 302
    assert PrivacySettings.current().retention_months == 36


def test_coordinator_sets_a_review_own_period_on_its_edit_page(
    review_work, review, coordinator, client_for
):
    client_for(coordinator).post(
        reverse("reviews:edit", args=[review.pk]),
        {
            "title": review.title,
            "host_city": review.host_city_id,
            "retention_months": "6",
            "edit_version": 1,
        },
    )
    review.refresh_from_db()
    assert review.retention_months == 6
    assert retention(review).from_default is False


# --- The access report and the erasure ----------------------------------------------------


def test_access_report_finds_the_person_everywhere(interviewed, review, coordinator, client_for):
    url = reverse("reviews:person_data", args=[review.pk, interviewed["ayse"].pk])

    report = client_for(coordinator).get(url).context["report"]

    places = {(p.model._meta.label, p.what, p.is_history) for p in report.places}
    assert {
        (
            "reviews.ProposedInterviewee",
            "name, organisation and role, kind, contact, attribution and consent",
            False,
        ),
        (
            "reviews.ProposedInterviewee",
            "name, organisation and role, kind, contact, attribution and consent",
            True,
        ),
        ("reviews.VisitSession", "interviewees", False),
        ("reviews.VisitSession", "interviewees", True),
        ("reviews.VisitSession", "title", False),
        ("reviews.DeskReviewEntry", "whom to meet", False),
        ("reviews.DeskReviewEntry", "questions to ask", False),
        ("reviews.Evidence", "finding", False),
        ("reviews.Evidence", "finding", True),
        ("reviews.Evidence", "entries recorded in a session they took part in", False),
        ("reviews.InformationRequest", "answer", False),
        ("reviews.ReportVersion", "content", False),
        ("reviews.ReportVersion", "content", True),
    } <= places
    assert ("reviews.Evidence", "context note", False) not in places  # Pieter's, not hers
    version = review.feedback_report.final_version
    assert reverse("reviews:report_version", args=[review.pk, version.number]) in [
        p.url for p in report.places
    ]


def test_access_report_lists_an_unread_desk_review_entry_without_its_text(
    interviewed, review, coordinator, client_for
):
    """Step 4's blindness holds in the access report: before every peer has submitted, the
    coordinator learns that a desk review entry names the person, not what it says."""
    assert not interviewed["entry"].desk_review.is_submitted
    url = reverse("reviews:person_data", args=[review.pk, interviewed["ayse"].pk])

    response = client_for(coordinator).get(url)

    entries = [p for p in response.context["report"].places if p.model is DeskReviewEntry]
    assert {p.what for p in entries} >= {"whom to meet", "questions to ask"}
    assert all(p.url == "" for p in entries)
    page = response.content.decode()
    assert "how members are appointed" not in page
    assert "its text is shown once the rule of step 4 lets you read it" in page


def test_access_report_lists_someone_removed_from_the_list(
    interviewed, review, coordinator, client_for
):
    pieter = interviewed["pieter"].pk
    interviewed["pieter"].delete()
    url = reverse("reviews:person_data", args=[review.pk, pieter])

    response = client_for(coordinator).get(url)

    assert response.context["person"].deleted
    assert {
        p.is_history for p in response.context["report"].places if p.model is ProposedInterviewee
    } == {True}


def test_search_finds_a_person_across_reviews(
    interviewed, review, coordinator, client_for, make_review
):
    other = make_review(title="Review of Ghent")
    ProposedInterviewee.objects.create(
        review=other, name="A. Demir", organisation="Ghent city hall", kind="staff"
    )

    found = client_for(coordinator).get(reverse("reviews:privacy"), {"q": "demir"}).context["found"]

    assert [(r.title, p.name) for r, p in found] == [
        ("Review of Ghent", "A. Demir"),
        ("Review of Rotterdam", "Ayse Demir"),
    ]


def test_confirmation_page_says_what_changes_and_changes_nothing(
    interviewed, review, coordinator, client_for
):
    client = client_for(coordinator)  # signing in writes the session and last sign-in
    before = snapshot()
    url = reverse("reviews:person_pseudonymise", args=[review.pk, interviewed["ayse"].pk])

    page = client.get(url).content.decode()

    assert snapshot() == before
    assert "becomes “Immigrant organisation 1”" in page
    assert "This cannot be undone." in page


def test_erasure_pseudonymises_one_person_and_leaves_the_others_intact(
    interviewed, review, coordinator, client_for
):
    others = occurrences("Pieter Bakker", "Mila Jansen", "+31 10 123 4567", UNLISTED)
    url = reverse("reviews:person_pseudonymise", args=[review.pk, interviewed["ayse"].pk])

    response = client_for(coordinator).post(url)

    assert response.status_code == 302
    assert occurrences("Ayse Demir", "ayse@council.example") == {}
    assert occurrences("Pieter Bakker", "Mila Jansen", "+31 10 123 4567", UNLISTED) == others
    event = ReviewEvent.objects.get(review=review)
    assert (event.verb, event.actor, event.note) == (
        ReviewEvent.PERSON_PSEUDONYMISED,
        coordinator,
        "Immigrant organisation 1",
    )
    assert people_of(review)[0].is_pseudonymised


def test_only_network_coordinators_handle_personal_data(
    interviewed, review, review_coordinator, host, client_for
):
    person = interviewed["ayse"].pk
    for user in (review_coordinator, host, *interviewed["team"]):
        client = client_for(user)
        for name in (
            "reviews:privacy_review",
            "reviews:person_data",
            "reviews:person_pseudonymise",
        ):
            args = [review.pk] if name == "reviews:privacy_review" else [review.pk, person]
            assert client.get(reverse(name, args=args)).status_code == 403
        url = reverse("reviews:person_pseudonymise", args=[review.pk, person])
        assert client.post(url).status_code == 403
        assert client.get(reverse("reviews:privacy")).status_code == 403
    assert set(occurrences("Ayse Demir")) == {"Ayse Demir"}
    assert not ReviewEvent.objects.exists()


def test_unknown_person_is_not_found(interviewed, review, coordinator, client_for, make_review):
    other = make_review()
    stranger = ProposedInterviewee.objects.create(
        review=other, name="Someone Else", organisation="Elsewhere", kind="staff"
    )
    url = reverse("reviews:person_data", args=[review.pk, stranger.pk])
    assert client_for(coordinator).get(url).status_code == 404


def test_access_report_query_count(
    interviewed, review, coordinator, client_for, django_assert_max_num_queries
):
    client = client_for(coordinator)
    url = reverse("reviews:person_data", args=[review.pk, interviewed["ayse"].pk])
    with django_assert_max_num_queries(150):
        assert client.get(url).status_code == 200


def test_after_retention_exports_calendars_and_a_new_archive_hold_no_names(
    interviewed, review, peer, client_for, tmp_path
):
    from reviews.archive import export_review

    client = client_for(peer)
    exports = [
        reverse("reports:evidence_export", args=[review.pk, "csv"]),
        reverse("reports:schedule_ics", args=[review.pk]),
    ]
    assert "Ayse Demir" in client.get(exports[1]).content.decode()

    run()

    for url in exports:
        text = client.get(url).content.decode()
        assert not [name for name in NAMES if name.casefold() in text.casefold()], url
    archive = export_review(review, tmp_path / "review.zip").path
    with zipfile.ZipFile(archive) as opened:
        text = " ".join(
            opened.read(name).decode() for name in opened.namelist() if name.endswith(".json")
        )
    assert [name for name in (*NAMES, *CONTACTS) if name.casefold() in text.casefold()] == []
    assert "Immigrant organisation 1" in text
