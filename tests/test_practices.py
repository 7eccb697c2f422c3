"""The good-practice library (practices/): the seeded sources, drafts from published
reports, search and filters, publishing, the exports."""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from practices.models import Practice
from tests.conftest import new_city


@pytest.fixture
def seeded(db):
    call_command("load_benchmarks", stdout=io.StringIO())
    call_command("load_practices", stdout=io.StringIO())


def test_the_sources_practices_are_loaded_with_their_cities(seeded):
    per_city = Counter()
    for practice in Practice.objects.prefetch_related("cities"):
        for city in practice.cities.all():
            per_city[(practice.programme, city.name_en)] += 1
        if practice.organisation:
            per_city[(practice.programme, practice.organisation)] += 1
    assert dict(per_city) == {
        ("INTI-CITIES", "Helsinki"): 5,
        ("INTI-CITIES", "Genoa"): 4,
        ("INTI-CITIES", "Rotterdam"): 4,
        ("INTI-CITIES", "Lyon"): 4,
        ("INTI-CITIES", "Düsseldorf"): 4,
        ("INTI-CITIES", "Malmö"): 3,
        ("INTI-CITIES", "EUROCITIES"): 1,
        ("DIVE", "Amsterdam"): 8,
        ("DIVE", "Berlin"): 8,
        ("DIVE", "Leeds"): 7,
        ("DIVE", "Rome"): 4,
    }
    assert Practice.objects.filter(programme="INTI-CITIES").count() == 24
    assert Practice.objects.filter(programme="DIVE").count() == 27
    shared = Practice.objects.get(cities__name_en="Genoa", slug__contains="rotterdam")
    assert sorted(c.name_en for c in shared.cities.all()) == ["Genoa", "Rotterdam"]


def test_loading_the_practices_twice_adds_nothing(seeded):
    call_command("load_practices", stdout=io.StringIO())
    assert Practice.objects.count() == 51


def test_seeded_practices_link_every_indicator_by_lineage(seeded):
    from practices.models import PracticeIndicator

    assert PracticeIndicator.objects.filter(lineage=None).count() == 0
    assert PracticeIndicator.objects.count() > 51


def test_seeded_practices_are_in_dutch_and_english(seeded):
    practice = Practice.objects.get(slug="inti-genoa-targeted-needs-assessments")
    assert practice.title_en == "Targeted needs assessments"
    assert practice.title_nl == "Gerichte behoeftenevaluaties"
    assert practice.cities.get().name_nl == "Genua"


def _good_practice_report(review, *, team_leader, peer):
    """A report with one good-practice finding citing the review's evidence, made final
    (approved by the team, facts checked) but not yet published."""
    from django.utils import timezone

    from reviews.models import Finding, ReportApproval
    from reviews.models.conclusions import team_of
    from reviews.services.feedback_report import ensure_report, finalise_report
    from reviews.services.report_content import build_content

    report = ensure_report(review)
    finding = Finding.objects.create(
        section=report.sections.first(),
        kind=Finding.GOOD_PRACTICE,
        text="The migrant council co-signs every yearly plan of the city.",
    )
    finding.evidence.set(review.evidence.all())
    version = report.freeze(by=team_leader, content=build_content(review))
    for person in team_of(review):
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    report.factual_round_opened_at = report.factual_round_closed_at = timezone.now()
    report.save(update_fields=["factual_round_opened_at", "factual_round_closed_at"])
    finalise_report(report=report, by=team_leader)
    return report, finding


@pytest.fixture
def final_report(review_work, review, team_leader, peer):
    return _good_practice_report(review, team_leader=team_leader, peer=peer)


def test_a_final_but_unpublished_report_makes_no_practice(final_report):
    assert Practice.objects.count() == 0


def test_publishing_a_report_turns_its_good_practices_into_drafts(
    final_report, review, team_leader
):
    from reviews.services.feedback_report import publish_report

    report, finding = final_report
    publish_report(report=report, by=team_leader)
    practice = Practice.objects.get()
    assert practice.state == Practice.DRAFT
    assert practice.finding == finding
    assert practice.description == finding.text
    assert list(practice.cities.all()) == [review.host_city]
    indicator = review.evidence.get().indicators.get()
    assert [(link.code, link.lineage) for link in practice.indicator_links.all()] == [
        (indicator.code, indicator.lineage)
    ]
    assert practice.evidence_codes.startswith(f"{indicator.code} - ")
    # A second signal for the same report (e.g. published again) adds nothing.
    from practices.feed import drafts_from_report

    assert drafts_from_report(report) == []
    assert Practice.objects.count() == 1


@pytest.fixture
def draft(final_report, team_leader):
    from reviews.services.feedback_report import publish_report

    publish_report(report=final_report[0], by=team_leader)
    return Practice.objects.get()


def test_a_draft_is_seen_by_its_team_only(draft, client_for, cast, client):
    url = draft.get_absolute_url()
    seen = {key: client_for(person).get(url).status_code for key, person in cast.items() if person}
    assert seen == {
        "coordinator": 200,
        "team_leader": 200,
        "peer": 200,
        "host": 404,
        "outsider": 404,
    }
    assert Client().get(url).status_code == 302
    listed = client_for(cast["outsider"]).get(reverse("practices:library")).content.decode()
    assert draft.title not in listed
    listed = client_for(cast["peer"]).get(reverse("practices:library")).content.decode()
    assert draft.title in listed


def _approve(client_for, practice, *people, approves="yes"):
    for person in people:
        response = client_for(person).post(
            reverse("practices:approve", args=[practice.slug]), {"approves": approves}
        )
        assert response.status_code == 302


def test_the_team_leader_completes_and_publishes_a_draft(draft, client_for, team_leader, peer):
    leader = client_for(team_leader)
    response = leader.post(
        reverse("practices:edit", args=[draft.slug]),
        {
            "edit_version": draft.edit_version,
            "title_en": "A migrant council that co-signs the plan",
            "title_nl": "Een migrantenraad die het plan mee ondertekent",
            "description_en": draft.description,
            "relevance_assessment_en": "Answers the council's wish to be heard.",
            "contact_role": "Secretary of the migrant council",
        },
    )
    assert response.status_code == 302
    _approve(client_for, draft, team_leader, peer)
    leader = client_for(team_leader)
    confirm = leader.get(reverse("practices:publish", args=[draft.slug])).content.decode()
    assert "Publish the practice" in confirm
    assert Practice.objects.get().state == Practice.APPROVED  # the GET only asks
    leader.post(reverse("practices:publish", args=[draft.slug]))
    practice = Practice.objects.get()
    assert practice.state == Practice.PUBLISHED
    assert practice.title_nl == "Een migrantenraad die het plan mee ondertekent"
    page = Client().get(practice.get_absolute_url()).content.decode()
    assert "Answers the council&#x27;s wish to be heard." in page
    assert (
        "A migrant council that co-signs the plan"
        in Client().get(reverse("practices:library")).content.decode()
    )


def test_only_a_coordinator_unpublishes_a_practice(draft, client_for, cast):
    from practices.services import publish_practice

    _approve(client_for, draft, cast["team_leader"], cast["peer"])
    publish_practice(practice=draft, by=cast["team_leader"])
    url = reverse("practices:unpublish", args=[draft.slug])
    assert client_for(cast["team_leader"]).post(url).status_code == 403
    assert Practice.objects.get().state == Practice.PUBLISHED
    client_for(cast["coordinator"]).post(url)
    assert Practice.objects.get().state == Practice.APPROVED


def test_a_review_practice_is_approved_only_when_every_team_member_approved(
    draft, client_for, team_leader, peer
):
    publish_url = reverse("practices:publish", args=[draft.slug])
    assert client_for(team_leader).post(publish_url).status_code == 403  # a draft
    _approve(client_for, draft, team_leader)
    assert Practice.objects.get().state == Practice.DRAFT  # the peer has not approved
    page = client_for(team_leader).get(draft.get_absolute_url()).content.decode()
    assert re.search(r'id="waiting-for">[^<]*' + re.escape(str(peer)), page)
    assert client_for(team_leader).post(publish_url).status_code == 403
    _approve(client_for, draft, peer)
    assert Practice.objects.get().state == Practice.APPROVED
    assert client_for(team_leader).post(publish_url).status_code == 302
    assert Practice.objects.get().state == Practice.PUBLISHED


def test_a_coordinator_cannot_approve_for_the_review_team(draft, client_for, coordinator):
    url = reverse("practices:approve", args=[draft.slug])
    assert client_for(coordinator).post(url, {"approves": "yes"}).status_code == 403
    assert draft.approvals.count() == 0


def test_a_change_to_the_text_clears_the_teams_approvals(draft, client_for, team_leader, peer):
    _approve(client_for, draft, team_leader, peer)
    draft.refresh_from_db()
    assert draft.state == Practice.APPROVED
    response = client_for(team_leader).post(
        reverse("practices:edit", args=[draft.slug]),
        {"edit_version": draft.edit_version, "title_en": "Changed after approval"},
    )
    assert response.status_code == 302
    assert Practice.objects.get().state == Practice.DRAFT
    _approve(client_for, draft, team_leader, peer)
    assert Practice.objects.get().state == Practice.APPROVED


def test_withdrawing_an_approval_makes_it_a_draft_again(draft, client_for, team_leader, peer):
    _approve(client_for, draft, team_leader, peer)
    _approve(client_for, draft, peer, approves="no")
    assert Practice.objects.get().state == Practice.DRAFT
    assert list(draft.approvals.values_list("user", flat=True)) == [team_leader.pk]


def test_the_team_leader_reopens_an_approved_practice_after_confirming(
    draft, client_for, team_leader, peer
):
    _approve(client_for, draft, team_leader, peer)
    url = reverse("practices:reopen", args=[draft.slug])
    assert client_for(peer).post(url).status_code == 403
    confirm = client_for(team_leader).get(url).content.decode()
    assert "Reopen the practice" in confirm
    assert Practice.objects.get().state == Practice.APPROVED  # the GET only asks
    client_for(team_leader).post(url)
    assert Practice.objects.get().state == Practice.DRAFT
    assert draft.approvals.count() == 0


def _new_practice_data(**changes) -> dict:
    data = {
        "edit_version": 0,
        "title_en": "A welcome desk in every district",
        "title_nl": "Een welkomstbalie in elke wijk",
        "description_en": "Newcomers register where they live.",
        "description_nl": "Nieuwkomers schrijven zich in waar ze wonen.",
        "transferability_en": "Needs district offices.",
        "relevance_assessment_en": "Answers the newcomers' first question.",
        "impact_assessment_nl": "Meer inschrijvingen in de eerste week.",
        "contact_role": "Head of the welcome service",
        "sources": "https://example.org/welcome",
    }
    data.update(changes)
    return data


def test_a_coordinator_enters_a_practice_in_the_browser(seeded, client_for, coordinator):
    from benchmarks.models import Indicator

    city = new_city(name="Utrecht", country="Netherlands")
    tag = Practice.objects.get(slug="inti-genoa-targeted-needs-assessments").tags.first()
    client = client_for(coordinator)
    assert client.get(reverse("practices:new")).status_code == 200
    response = client.post(
        reverse("practices:new"),
        _new_practice_data(cities=[city.pk], indicator_codes="gg/a/1, ps/5", tags=[tag.pk]),
    )
    assert response.status_code == 302
    practice = Practice.objects.get(slug="a-welcome-desk-in-every-district")
    assert response["Location"] == practice.get_absolute_url()
    assert practice.state == Practice.DRAFT
    assert practice.review is None
    assert practice.title_nl == "Een welkomstbalie in elke wijk"
    assert practice.impact_assessment_nl == "Meer inschrijvingen in de eerste week."
    assert list(practice.cities.all()) == [city]
    assert list(practice.tags.all()) == [tag]
    expected = {
        code: Indicator.objects.filter(code=code, version__status="published")
        .order_by("-version__number")
        .first()
        .lineage
        for code in ("GG/A/1", "PS/5")
    }
    assert {link.code: link.lineage for link in practice.indicator_links.all()} == expected
    # Entered directly: a coordinator approves it (no team), then it can be published.
    assert client.get(practice.get_absolute_url()).status_code == 200
    _approve(client_for, practice, coordinator)
    assert Practice.objects.get(pk=practice.pk).state == Practice.APPROVED
    client_for(coordinator).post(reverse("practices:publish", args=[practice.slug]))
    assert Practice.objects.get(pk=practice.pk).state == Practice.PUBLISHED


def test_a_new_practice_keeps_what_was_typed_when_a_code_is_unknown(
    seeded, client_for, coordinator
):
    city = new_city(name="Utrecht", country="Netherlands")
    before = Practice.objects.count()
    response = client_for(coordinator).post(
        reverse("practices:new"), _new_practice_data(cities=[city.pk], indicator_codes="ZZ/9")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "No published benchmark has an indicator ZZ/9." in page
    assert "Een welkomstbalie in elke wijk" in page
    assert "Meer inschrijvingen in de eerste week." in page
    assert "https://example.org/welcome" in page
    assert Practice.objects.count() == before


def test_a_new_practice_needs_a_city_or_an_organisation(db, client_for, coordinator):
    response = client_for(coordinator).post(reverse("practices:new"), _new_practice_data())
    assert "Choose a city, or name the organisation." in response.content.decode()
    assert Practice.objects.count() == 0
    response = client_for(coordinator).post(
        reverse("practices:new"), _new_practice_data(organisation="EUROCITIES")
    )
    assert response.status_code == 302
    assert Practice.objects.get().organisation == "EUROCITIES"


def test_a_practice_saved_meanwhile_under_the_same_name_is_a_conflict(
    db, client_for, coordinator, monkeypatch
):
    from practices import views

    real_twin = views.unique_twin

    def twin_appears(*fields):
        find = real_twin(*fields)

        def later(form):
            Practice.objects.create(slug=form.instance.slug, title="Saved meanwhile")
            return find(form)

        return later

    monkeypatch.setattr(views, "unique_twin", twin_appears)
    response = client_for(coordinator).post(
        reverse("practices:new"), _new_practice_data(organisation="EUROCITIES")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this while you were editing" in page
    assert "Een welkomstbalie in elke wijk" in page
    assert list(Practice.objects.values_list("title_en", flat=True)) == ["Saved meanwhile"]


def test_a_practice_from_a_review_entered_by_hand_needs_the_teams_approval(
    review_work, review, client_for, coordinator, team_leader, peer
):
    code = review.evidence.get().indicators.get().code
    response = client_for(coordinator).post(
        reverse("practices:new"),
        _new_practice_data(cities=[review.host_city.pk], review=review.pk, indicator_codes=code),
    )
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.indicator_links.get().code == code
    url = reverse("practices:approve", args=[practice.slug])
    assert client_for(coordinator).post(url, {"approves": "yes"}).status_code == 403
    _approve(client_for, practice, team_leader, peer)
    assert Practice.objects.get().state == Practice.APPROVED


def _titles(response) -> list[str]:
    found = re.findall(
        r'<h2 class="h5 mb-1"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )
    return [html.unescape(title) for title in found]


def test_published_practices_are_readable_without_signing_in(seeded, client):
    response = client.get(reverse("practices:library"))
    assert response.status_code == 200
    assert len(_titles(response)) == 25  # the first page of 51
    practice = Practice.objects.get(slug="inti-genoa-targeted-needs-assessments")
    assert client.get(practice.get_absolute_url()).status_code == 200


def test_full_text_search_in_the_readers_language(seeded, client):
    english = _titles(client.get(reverse("practices:library"), {"q": "needs assessments"}))
    assert "Targeted needs assessments" in english
    client.cookies["django_language"] = "nl"
    dutch = _titles(
        client.get(
            reverse("practices:library"), {"q": "behoeftenevaluaties"}, HTTP_ACCEPT_LANGUAGE="nl"
        )
    )
    assert dutch == ["Gerichte behoeftenevaluaties"]


def test_an_indicator_code_finds_its_practices_across_benchmark_versions(seeded, client):
    from benchmarks.models import BenchmarkVersion, Indicator
    from benchmarks.services import start_new_draft

    linked = Practice.objects.filter(indicator_links__code="GG/A/6").count()
    assert linked > 0
    version = BenchmarkVersion.objects.get(benchmark__slug="inti-cities")
    revised = start_new_draft(version)
    indicator = revised.indicators.get(code="GG/A/6")
    # In the revision the indicator moves: GG/A/6 becomes GG/A/7, same lineage.
    Indicator.objects.filter(pk=indicator.pk).update(number=7, code="GG/A/7")
    found = _titles(client.get(reverse("practices:library"), {"indicator": "gg/a/7"}))
    assert len(found) == linked
    assert "Targeted needs assessments" in found
    assert _titles(client.get(reverse("practices:library"), {"indicator": "GG/A/99"})) == []


def test_filters_by_city_tag_programme_and_criterion(seeded, client):
    from cities.models import City
    from practices.models import Tag

    library = reverse("practices:library")
    genoa = City.objects.get(name_en="Genoa")
    assert len(_titles(client.get(library, {"city": genoa.pk}))) == 4
    housing = Tag.objects.get(kind="policy_area", code="housing")
    assert len(_titles(client.get(library, {"tag": housing.pk}))) == housing.practices.count()
    assert len(_titles(client.get(library, {"programme": "DIVE", "city": genoa.pk}))) == 0
    assert _titles(client.get(library, {"criterion": "impact"})) == []
    Practice.objects.filter(slug="inti-genoa-targeted-needs-assessments").update(
        impact_assessment_nl="Betere plannen."
    )
    assert _titles(client.get(library, {"criterion": "impact"})) == ["Targeted needs assessments"]


def test_exports_neutralise_formulas(seeded, client):
    Practice.objects.filter(slug="inti-genoa-targeted-needs-assessments").update(
        description_en='=HYPERLINK("http://evil")'
    )
    params = {
        "city": str(
            Practice.objects.get(slug="inti-genoa-targeted-needs-assessments").cities.get().pk
        )
    }
    csv_body = client.get(reverse("practices:export", args=["csv"]), params).content.decode()
    assert "'=HYPERLINK" in csv_body
    assert csv_body.count("\n") >= 5  # a header and Genoa's four
    data = json.loads(client.get(reverse("practices:export", args=["json"]), params).content)
    assert len(data["practices"]) == 4
    genoa = next(
        p for p in data["practices"] if p["slug"] == "inti-genoa-targeted-needs-assessments"
    )
    assert genoa["description"].startswith("'=")
    assert genoa["indicators"] == "GG/A/6, WP/R/5"


def _published_practice_on(indicator, *, title, city):
    from practices.models import PracticeIndicator

    practice = Practice.objects.create(
        slug=f"practice-{indicator.pk}-{Practice.objects.count()}",
        title=title,
        description="What the city does.",
        state=Practice.PUBLISHED,
    )
    practice.cities.add(city)
    PracticeIndicator.objects.create(
        practice=practice, code=indicator.code, lineage=indicator.lineage
    )
    return practice


@pytest.fixture
def submitted(review_work, review, host):
    from reviews.services import submit_inception_report

    submit_inception_report(review=review, by=host, reason="The rest follows.")
    return review


def _desk_review_page(client, review):
    group = review.indicators_in_scope().first().group
    return client.get(reverse("reviews:desk_review_group", args=[review.pk, group.pk]))


def test_the_desk_review_shows_what_other_cities_do_beside_each_indicator(
    submitted, client_for, peer
):
    first = submitted.indicators_in_scope().first()
    _published_practice_on(first, title="Budget lines per district", city=new_city(name="Gent"))
    draft = _published_practice_on(first, title="A draft nobody sees", city=new_city())
    Practice.objects.filter(pk=draft.pk).update(state=Practice.DRAFT)
    page = _desk_review_page(client_for(peer), submitted).content.decode()
    assert "What other cities do" in page
    assert "Budget lines per district" in page
    assert "A draft nobody sees" not in page
    assert f"{reverse('practices:library')}?indicator={first.code}" in page


def test_the_desk_review_query_count_stays_flat_with_practices(submitted, client_for, peer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(peer)
    first = submitted.indicators_in_scope().first()
    _published_practice_on(first, title="The only practice", city=new_city())
    _desk_review_page(client, submitted)  # sessions, caches
    with CaptureQueriesContext(connection) as one:
        _desk_review_page(client, submitted)
    for n, indicator in enumerate(submitted.indicators_in_scope()):
        for m in range(3):
            _published_practice_on(indicator, title=f"Practice {n}.{m}", city=new_city())
    with CaptureQueriesContext(connection) as with_practices:
        page = _desk_review_page(client, submitted).content.decode()
    assert "Practice 0.2" in page
    assert len(with_practices.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("search", ["text", "indicator"])
def test_the_library_search_query_count_stays_flat_with_practices(db, client, search):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from practices.models import PracticeIndicator, Tag
    from tests.conftest import new_benchmark

    version = new_benchmark(slug="flat", indicators=2)
    indicator = version.indicators.first()
    tag = Tag.objects.create(kind=Tag.KIND, code="desk", name="desk")

    def add(n: int) -> None:
        for k in range(n):
            practice = Practice.objects.create(
                slug=f"flat-{Practice.objects.count()}",
                title_en=f"A welcome desk {k}",
                description_en="Newcomers register where they live.",
                programme="Flat",
                state=Practice.PUBLISHED,
                published_at=timezone.now(),
            )
            practice.cities.add(new_city(name=f"Flat city {Practice.objects.count()}"))
            practice.tags.add(tag)
            PracticeIndicator.objects.create(
                practice=practice, code=indicator.code, lineage=indicator.lineage
            )

    params = {"q": "welcome desk"} if search == "text" else {"indicator": indicator.code}

    def count() -> tuple[int, int]:
        client.get(reverse("practices:library"), params)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("practices:library"), params)
        return len(queries), len(_titles(response))

    add(2)
    few, shown = count()
    assert shown == 2
    add(18)
    assert count() == (few, 20)


def test_completing_a_draft_relinks_its_indicators_by_code(draft, client_for, team_leader):
    link = draft.indicator_links.get()
    url = reverse("practices:edit", args=[draft.slug])
    data = {"edit_version": draft.edit_version, "title_en": "Co-signed plans"}
    assert client_for(team_leader).post(url, data).status_code == 302
    assert list(draft.indicator_links.values_list("code", flat=True)) == [link.code]  # kept
    draft.refresh_from_db()
    data = {"edit_version": draft.edit_version, "title_en": "Co-signed plans"}
    response = client_for(team_leader).post(url, {**data, "indicator_codes": "ZZ/1"})
    assert "ZZ/1 is not an indicator of" in response.content.decode()
    assert list(draft.indicator_links.values_list("code", flat=True)) == [link.code]
    response = client_for(team_leader).post(url, {**data, "indicator_codes": ""})
    assert response.status_code == 302
    assert draft.indicator_links.count() == 0
