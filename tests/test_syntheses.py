"""The comparative report of a programme (syntheses/): chapters, the one-city rule for
shared challenges and advice, versions approved by every author and cleared by a change,
publication, and its PDF and DOCX."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.approvals import FrozenVersion, record_approval
from practices.models import Practice, PracticeIndicator
from syntheses.content import build_content
from syntheses.forms import StatementForm
from syntheses.models import ComparativeReport, Statement
from syntheses.services import freeze_version
from tests.conftest import new_cast_member
from tests.synthesis_data import add_statement, synthesis_programme


@pytest.fixture
def world(db):
    programme, report, leaders = synthesis_programme()
    return {
        "programme": programme,
        "report": report,
        "leaders": leaders,
        "reviews": list(programme.reviews.order_by("host_city__name")),
        "chapter": report.chapters.order_by("order", "pk").first(),
        "coordinator": new_cast_member("coordinator"),
    }


def _statement_url(world) -> str:
    return reverse("syntheses:statement_add", args=[world["programme"].pk, world["chapter"].pk])


def test_a_chapter_per_group_with_the_benchmark_standard(world):
    chapters = list(world["report"].chapters.order_by("order", "pk"))
    assert [c.group.code for c in chapters] == ["AA", "BB"]
    assert chapters[0].standard == "Alpha standard"


def test_a_shared_challenge_resting_on_one_city_is_refused(world, client_for):
    antwerp = world["reviews"][0]
    client = client_for(world["leaders"][0])
    response = client.post(
        _statement_url(world),
        {
            "kind": "challenge",
            "text": "Budgets are short.",
            "reviews": [antwerp.pk],
            "edit_version": 0,
        },
    )
    assert response.status_code == 400
    assert "a shared challenge or an advice needs 2" in response.content.decode()
    assert not Statement.objects.exists()


def test_an_advice_resting_on_one_city_is_refused(world):
    form = StatementForm(
        {
            "kind": "advice",
            "text": "Pool budgets.",
            "reviews": [world["reviews"][1].pk],
            "edit_version": 0,
        },
        instance=Statement(chapter=world["chapter"]),
        programme=world["programme"],
    )
    assert not form.is_valid()
    assert "reviews" in form.errors


def test_one_city_can_be_a_city_example(world, client_for):
    antwerp = world["reviews"][0]
    client = client_for(world["leaders"][0])
    response = client.post(
        _statement_url(world),
        {
            "kind": "example",
            "text": "Antwerp pools budgets.",
            "reviews": [antwerp.pk],
            "edit_version": 0,
        },
    )
    assert response.status_code == 302
    assert Statement.objects.get().kind == Statement.EXAMPLE


def test_a_challenge_shared_by_two_cities_is_saved_with_them(world, client_for):
    antwerp, ghent, _leipzig = world["reviews"]
    client = client_for(world["leaders"][0])
    response = client.post(
        _statement_url(world),
        {
            "kind": "challenge",
            "text": "Budgets are short.",
            "reviews": [antwerp.pk, ghent.pk],
            "edit_version": 0,
        },
    )
    assert response.status_code == 302
    content = build_content(ComparativeReport.objects.get())
    assert content["chapters"][0]["challenges"][0]["cities"] == ["Antwerp", "Ghent"]


def test_two_reviews_of_one_city_are_still_one_city(world):
    from tests.conftest import new_review

    antwerp = world["reviews"][0]
    again = new_review(
        title="Antwerp again",
        host_city=antwerp.host_city,
        benchmark_version=antwerp.benchmark_version,
        programme=world["programme"],
    )
    form = StatementForm(
        {"kind": "challenge", "text": "x", "reviews": [antwerp.pk, again.pk], "edit_version": 0},
        instance=Statement(chapter=world["chapter"]),
        programme=world["programme"],
    )
    assert not form.is_valid()


def test_only_the_chapter_author_and_coordinators_edit_a_chapter(world, client_for):
    url = reverse("syntheses:chapter", args=[world["programme"].pk, world["chapter"].pk])
    assert client_for(world["leaders"][1]).get(url).status_code == 403
    assert client_for(world["leaders"][0]).get(url).status_code == 200
    assert client_for(world["coordinator"]).get(url).status_code == 200


def test_every_assigned_author_approves_before_publication(world):
    report, (first, second, _third) = world["report"], world["leaders"]
    version = freeze_version(report=report, by=world["coordinator"])
    assert [p.pk for p in version.waiting_for()] == [first.pk, second.pk]
    record_approval(version=version, by=first, approves=True, comment="")
    report.forget()
    assert report.missing_for_publication()
    record_approval(version=version, by=second, approves=True, comment="")
    report.forget()
    assert report.missing_for_publication() == []
    report.publish(by=world["coordinator"])
    assert report.final_version == version
    assert report.is_published


def test_a_change_after_freezing_clears_the_approvals(world, client_for):
    report, (first, second, _third) = world["report"], world["leaders"]
    version = freeze_version(report=report, by=world["coordinator"])
    record_approval(version=version, by=first, approves=True, comment="")
    record_approval(version=version, by=second, approves=True, comment="")
    url = reverse("syntheses:chapter", args=[world["programme"].pk, world["chapter"].pk])
    response = client_for(first).post(
        url, {"standard": "Changed.", "approach": "", "edit_version": world["chapter"].edit_version}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == FrozenVersion.SUPERSEDED
    report = ComparativeReport.objects.get()
    assert report.pending_version is None
    assert report.missing_for_publication()
    second_version = freeze_version(report=report, by=world["coordinator"])
    assert second_version.number == 2
    assert len(second_version.waiting_for()) == 2  # the approvals of version 1 do not count


def test_a_new_statement_supersedes_the_waiting_version(world):
    report = world["report"]
    version = freeze_version(report=report, by=world["coordinator"])
    antwerp, ghent, _leipzig = world["reviews"]
    add_statement(world["chapter"], Statement.ADVICE, "Pool budgets.", [antwerp, ghent])
    version.refresh_from_db()
    assert version.state == FrozenVersion.SUPERSEDED


def test_reassigning_a_chapter_supersedes_the_waiting_version(world, client_for):
    report = world["report"]
    version = freeze_version(report=report, by=world["coordinator"])
    chapters = list(report.chapters.order_by("order", "pk"))
    third = world["leaders"][2]
    response = client_for(world["coordinator"]).post(
        reverse("syntheses:assign", args=[world["programme"].pk]),
        {f"c{chapters[0].pk}": third.pk, f"c{chapters[1].pk}": world["leaders"][1].pk},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == FrozenVersion.SUPERSEDED
    assert [p.pk for p in ComparativeReport.objects.get().approvers()] == sorted(
        [third.pk, world["leaders"][1].pk]
    )


def test_an_approval_after_a_change_is_not_recorded_and_keeps_the_comment(world, client_for):
    report, first = world["report"], world["leaders"][0]
    version = freeze_version(report=report, by=world["coordinator"])
    add_statement(world["chapter"], Statement.EXAMPLE, "Antwerp pools.", world["reviews"][:1])
    response = client_for(first).post(
        reverse("syntheses:approve", args=[world["programme"].pk, version.number]),
        {"approves": "no", "comment": "Add Ghent's budget."},
    )
    assert response.status_code == 409
    assert "Add Ghent&#x27;s budget." in response.content.decode()
    assert not version.approvals.exists()


def test_the_chapter_holds_the_spread_and_the_linked_practices(world):
    chapter = world["chapter"]
    indicator = chapter.group.indicators.first()
    practice = Practice.objects.create(
        slug="p", title="Welcome desk", description="A desk.", state=Practice.PUBLISHED
    )
    practice.cities.add(world["reviews"][0].host_city)
    PracticeIndicator.objects.create(practice=practice, lineage=indicator.lineage, code="AA/X/1")
    Practice.objects.create(slug="d", title="Draft one", state=Practice.DRAFT)
    content = build_content(world["report"])
    first = content["chapters"][0]
    assert [p["title"] for p in first["practices"]] == ["Welcome desk"]
    assert content["chapters"][1]["practices"] == []
    # AA/X/1 is rated below, below, above: most cities below, and they differ.
    row = first["spread"][0]
    assert row["code"] == indicator.code
    assert row["differ"] is True
    assert sum(n for _colour, _label, n in row["levels"]) == 3


def _published(world):
    report = world["report"]
    antwerp, ghent, _leipzig = world["reviews"]
    add_statement(world["chapter"], Statement.CHALLENGE, "Budgets are short.", [antwerp, ghent])
    version = freeze_version(report=report, by=world["coordinator"])
    for leader in world["leaders"][:2]:
        record_approval(version=version, by=leader, approves=True, comment="")
    report.forget()
    report.publish(by=world["coordinator"])
    return report


def test_the_published_pdf_is_tagged_with_charts_and_is_public(world, client):
    _published(world)
    response = client.get(reverse("reports:public_synthesis_pdf", args=[world["programme"].pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Budgets are short. (Antwerp, Ghent)" in " ".join(text.split())
    assert "Spread of the cities' ratings per indicator, Alpha" in text


def test_an_unpublished_report_has_no_public_pdf(world, client):
    assert (
        client.get(
            reverse("reports:public_synthesis_pdf", args=[world["programme"].pk])
        ).status_code
        == 404
    )


def test_the_docx_has_a_chapter_per_group(world, client_for):
    _published(world)
    response = client_for(world["leaders"][0]).get(
        reverse("reports:synthesis_docx", args=[world["programme"].pk])
    )
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["AA Alpha", "BB Beta"]
    assert any(p.text == "Budgets are short. (Antwerp, Ghent)" for p in document.paragraphs)


def test_the_network_page_links_the_published_report(world, client):
    url = reverse("reports:public_synthesis_pdf", args=[world["programme"].pk])
    assert url not in client.get(reverse("comparisons:network")).content.decode()
    _published(world)
    assert url in client.get(reverse("comparisons:network")).content.decode()


def test_reopening_takes_it_off_the_network_and_keeps_the_approvals(world, client_for):
    report = _published(world)
    response = client_for(world["coordinator"]).post(
        reverse("syntheses:reopen", args=[world["programme"].pk])
    )
    assert response.status_code == 302
    report = ComparativeReport.objects.get()
    assert not report.is_published
    assert report.pending_version.approvals.filter(approves=True).count() == 2


def test_a_published_report_keeps_its_authors(world, client_for):
    report = _published(world)
    first = report.chapters.order_by("order", "pk").first()
    response = client_for(world["coordinator"]).post(
        reverse("syntheses:assign", args=[world["programme"].pk]),
        {f"c{first.pk}": world["leaders"][2].pk},
        follow=True,
    )
    assert "The comparative report is published; its text can no longer change." in (
        response.content.decode()
    )
    first.refresh_from_db()
    assert first.assignee == world["leaders"][0]


def _news(person) -> list[str]:
    from reviews.models import Notification

    return [n.shown_text for n in Notification.objects.filter(user=person).order_by("pk")]


def test_authors_and_the_coordinator_hear_of_each_step(
    world, client_for, django_capture_on_commit_callbacks
):
    from mail.models import Delivery
    from syntheses.services import assign_chapters, publish_report, reopen_report

    report, coordinator = world["report"], world["coordinator"]
    first, second, third = world["leaders"]
    chapters = list(report.chapters.order_by("order", "pk"))
    name = world["programme"].name
    with django_capture_on_commit_callbacks(execute=True):
        assign_chapters(report=report, chapters={chapters[1]: third}, by=coordinator)
    asked = f"You are asked to write a chapter of the comparative report of {name}."
    assert _news(third) == [asked]
    assert _news(second) == []  # losing a chapter is not news to act on

    with django_capture_on_commit_callbacks(execute=True):
        version = freeze_version(report=report, by=coordinator)
    waiting = f"Version 1 of the comparative report of {name} waits for your approval."
    assert _news(first) == [waiting]
    assert _news(third) == [asked, waiting]
    assert _news(coordinator) == []
    assert Delivery.objects.filter(
        recipient=first, subject=f"Comparative report to approve: {name}"
    ).exists()

    approve = reverse("syntheses:approve", args=[world["programme"].pk, version.number])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(first).post(approve, {"approves": "no", "comment": "Cite Ghent too."})
    commented = f"{first} commented on version 1 of the comparative report of {name}."
    assert _news(coordinator) == [commented]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(first).post(approve, {"approves": "yes", "comment": ""})
    assert _news(coordinator) == [commented]  # one author still has to approve
    with django_capture_on_commit_callbacks(execute=True):
        client_for(third).post(approve, {"approves": "yes", "comment": ""})
    approved = (
        f"Every author approved version 1 of the comparative report of {name}: it can be published."
    )
    assert _news(coordinator) == [commented, approved]

    report = ComparativeReport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        publish_report(report=report, by=coordinator)
    published = f"The comparative report of {name} is published on the network page."
    assert _news(first)[-1] == published
    assert _news(third)[-1] == published
    with django_capture_on_commit_callbacks(execute=True):
        reopen_report(report=ComparativeReport.objects.get(), by=coordinator)
    assert _news(first)[-1].startswith(f"The comparative report of {name} is reopened")


def test_news_of_the_comparative_report_reads_in_the_readers_language(
    world, client_for, django_capture_on_commit_callbacks
):
    first = world["leaders"][0]
    with django_capture_on_commit_callbacks(execute=True):
        freeze_version(report=world["report"], by=world["coordinator"])
    client = client_for(first)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("reviews:dashboard")).content.decode()
    name = world["programme"].name
    assert f"Versie 1 van het vergelijkend rapport van {name} wacht op je goedkeuring." in page


def test_the_version_page_a_notification_opens_offers_the_decision(world, client_for):
    first = world["leaders"][0]
    version = freeze_version(report=world["report"], by=world["coordinator"])
    page = reverse("syntheses:version", args=[world["programme"].pk, version.number])
    decide = f'href="{reverse("syntheses:approve", args=[world["programme"].pk, 1])}"'
    assert decide in client_for(first).get(page).content.decode()
    # The coordinator reads it but does not approve; nor does anyone once it is published.
    assert decide not in client_for(world["coordinator"]).get(page).content.decode()
    for leader in world["leaders"][:2]:
        record_approval(version=version, by=leader, approves=True, comment="")
    report = ComparativeReport.objects.get()
    report.publish(by=world["coordinator"])
    assert decide not in client_for(first).get(page).content.decode()
