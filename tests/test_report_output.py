"""Step 7 outputs: the feedback report's PDF and DOCX, who gets which text, and the public
read link."""

from __future__ import annotations

import io
import logging
import re

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import charts
from reports.pdf import RefusedURL, StaticOnlyFetcher
from reviews.models import (
    Evidence,
    Finding,
    ProposedInterviewee,
    Recommendation,
    ReportApproval,
    VisitSession,
)
from reviews.services.feedback_report import ensure_report
from reviews.services.report_content import all_recommendations, build_content

PASSWD_IMAGES = '![x](file:///etc/passwd)\n\n<img src="file:///etc/passwd" alt="">\n\n'
HTML_FINDING = "<b>bold</b><script>x</script>"
RECOMMENDATIONS = [
    "Set up a yearly monitoring report on the integration plan.",
    "Give the migrant council a seat in the steering group.",
    "Publish the integration budget by source every year.",
]


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def _session(review, hour, peers, people=()):
    session = VisitSession.objects.create(
        review=review,
        kind=VisitSession.INTERVIEW,
        starts_at=f"2027-03-02T{hour:02d}:00:00Z",
        ends_at=f"2027-03-02T{hour:02d}:45:00Z",
        location="City hall",
    )
    session.peers.set(peers)
    session.interviewees.set(people)
    return session


def _evidence(review, session, author, indicator, text):
    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    entry = Evidence.objects.create(
        review=review, session=session, text=text, colour=colour, author=author
    )
    entry.indicators.set([indicator])
    entry.interviewers.set(session.peers.all())
    return entry


@pytest.fixture
def written(review_work, review, peer, team_leader):
    """A report with a summary, evaluations, findings citing confirmed evidence,
    recommendations, and an off-the-record interviewee whose session left evidence."""
    indicator = review.indicators_in_scope().first()
    # review_work's interview with Ayse Demir
    first = Evidence.objects.get(review=review, text="The plan is monitored yearly.")
    second = _evidence(
        review,
        _session(review, 14, [peer, team_leader]),
        peer,
        indicator,
        "The council reports to the alderman every quarter.",
    )
    secret = ProposedInterviewee.objects.create(
        review=review,
        name="Olaf Verborgen",
        organisation="Police, district chief",
        kind="city_staff",
        attribution=ProposedInterviewee.OFF_RECORD,
    )
    _evidence(
        review,
        _session(review, 16, [peer, team_leader], [secret]),
        peer,
        indicator,
        "Zwijgplicht: the budget is quietly being halved.",
    )

    report = ensure_report(review)
    report.summary = "Rotterdam **does well** on leadership.\n\n" + PASSWD_IMAGES
    report.save()
    sections = list(report.sections.all())
    for n, section in enumerate(sections):
        section.evaluation = f"Evaluation of group {n}.\n\n" + PASSWD_IMAGES
        section.save()
    strength = Finding.objects.create(
        section=sections[0], kind=Finding.STRENGTH, text="Leadership is visible and steady."
    )
    strength.evidence.set([first, second])
    weakness = Finding.objects.create(
        section=sections[0], kind=Finding.WEAKNESS, text=HTML_FINDING, obstacles="No budget line."
    )
    weakness.evidence.set([first])
    for n, text in enumerate(RECOMMENDATIONS):
        rec = Recommendation.objects.create(
            section=sections[n % len(sections)],
            text=text,
            priority=Recommendation.HIGH,
            timeframe="12m",
            actor="Integration department",
            measure="A report each spring",
        )
        rec.indicators.set([indicator])
    return report


def _finalise(report, review, team_leader):
    # A first version, superseded by a late change, then the one that becomes final.
    report.freeze(by=team_leader, content=build_content(review, report))
    finding = Finding.objects.filter(section__report=report).first()
    finding.text += " (Checked again.)"
    finding.save()
    report.forget()
    version = report.freeze(by=team_leader, content=build_content(review, report))
    for member in report.team():
        ReportApproval.objects.create(version=version, peer=member, approves=True)
    # The host city's round, every comment answered (review_work may hold one already).
    report.factual_comments.filter(answer="").update(answer="Corrected.", answered_by=team_leader)
    report.factual_round_opened_at = report.factual_round_opened_at or timezone.now()
    report.factual_round_closed_at = timezone.now()
    report.factual_round_version = version
    report.save(
        update_fields=[
            "factual_round_opened_at",
            "factual_round_closed_at",
            "factual_round_version",
        ]
    )
    report.make_final(by=team_leader)
    return version


def _publish(report, coordinator):
    report.published_at = timezone.now()
    report.published_by = coordinator
    report.save(update_fields=["published_at", "published_by"])


@pytest.fixture
def final(written, review, team_leader):
    _finalise(written, review, team_leader)
    return written


@pytest.fixture
def published(final, coordinator):
    _publish(final, coordinator)
    return final


@pytest.fixture
def fast_pdf(monkeypatch):
    """Permission tests need the answer, not the rendering."""
    monkeypatch.setattr("reports.pdf.render_pdf", lambda html: b"%PDF-1.7 stub")


def url(name, review, **query):
    namespace = "reports" if name in ("report_pdf", "report_docx") else "reviews"
    address = reverse(f"{namespace}:{name}", args=[review.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The PDF itself --------------------------------------------------------------------------


def test_published_pdf_has_city_every_recommendation_and_a_contents_page_with_page_numbers(
    client_for, host, published, review
):
    response = client_for(host).get(url("report_pdf", review))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = published.final_version.number
    assert f"critical-friend-rotterdam-report-v{number}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Rotterdam" in text
    flat = " ".join(text.split())
    texts = [r["text"] for r in all_recommendations(published.final_version.content)]
    assert set(RECOMMENDATIONS) <= set(texts)
    for recommendation in texts:
        assert " ".join(recommendation.split()) in flat
    assert "Contents" in text
    assert re.search(r"^Summary[ .]*\d+\s*$", text, re.MULTILINE)
    assert re.search(r"^All recommendations[ .]*\d+\s*$", text, re.MULTILINE)
    assert "Draft" not in text  # the final version carries no draft mark

    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en"
    assert "Rotterdam" in reader.metadata.title
    assert len(reader.pages) >= 8  # title, contents, summary, charts, 2 groups, table, annexes


def test_pdf_keeps_user_text_inert_and_off_record_people_out(
    client_for, peer, final, review, monkeypatch, caplog
):
    fetched = []
    real_fetch = StaticOnlyFetcher.fetch

    def recording_fetch(self, address, headers=None):
        try:
            response = real_fetch(self, address, headers)
        except RefusedURL:
            fetched.append((address, "refused"))
            raise
        fetched.append((address, "served"))
        return response

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", recording_fetch)
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        response = client_for(peer).get(url("report_pdf", review))
    assert response.status_code == 200
    text = pdf_text(response.content)
    flat = " ".join(text.split())

    # HTML in a finding is shown as the characters typed, not obeyed.
    assert HTML_FINDING in flat
    # The file:// images never reach the page: stripped by the sanitiser, and the
    # fetcher serves nothing but static files and data: URIs.
    assert "root:" not in text and "/bin/" not in text
    assert not any(a.startswith("file:") for a, outcome in fetched if outcome == "served")
    assert all(
        outcome == "refused" or a.startswith(("data:", "http://critical-friend.invalid/static/"))
        for a, outcome in fetched
    )
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch("file:///etc/passwd")
    for page in PdfReader(io.BytesIO(response.content)).pages:
        objects = page["/Resources"].get("/XObject") or {}
        assert all(o.get_object().get("/Subtype") != "/Image" for o in objects.values())

    # Off the record: counted, never named, and no evidence text is copied at all.
    assert "Olaf Verborgen" not in flat
    assert "Police, district chief" not in flat
    assert "Zwijgplicht" not in flat
    assert "halved" not in flat
    assert "The plan is monitored yearly." not in flat
    assert "1 person spoke to the team off the record" in flat
    assert "Ayse Demir" in flat  # named interviewees are listed


def test_peer_gets_the_draft_before_the_report_is_final(client_for, peer, written, review):
    response = client_for(peer).get(url("report_pdf", review))
    assert response.status_code == 200
    assert "report-draft.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    # The draft mark (the watermark's word, in the report's language) is on the page.
    assert "Draft" in text
    assert RECOMMENDATIONS[0] in " ".join(text.split())


# --- The DOCX ---------------------------------------------------------------------------------


def test_docx_opens_with_city_every_recommendation_and_real_headings(
    client_for, coordinator, final, review
):
    response = client_for(coordinator).get(url("report_docx", review))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    number = final.final_version.number
    assert f"critical-friend-rotterdam-report-v{number}.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    everything = "\n".join(paragraphs + cells)
    assert "Rotterdam" in everything
    texts = [r["text"] for r in all_recommendations(final.final_version.content)]
    assert set(RECOMMENDATIONS) <= set(texts)
    for recommendation in texts:
        assert recommendation in cells  # the recommendations table
        assert any(recommendation in p for p in paragraphs)  # and under their group
    assert HTML_FINDING in paragraphs
    assert "Olaf Verborgen" not in everything
    assert "root:" not in everything
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Summary" in headings and "All recommendations" in headings
    assert "Rotterdam" in document.core_properties.title
    assert document.core_properties.language == "en"
    assert "Draft" not in everything


# --- Who gets what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report_pdf", "report_docx"])
def test_host_gets_the_report_only_once_published(
    client_for, host, final, review, coordinator, fast_pdf, name
):
    client = client_for(host)
    assert client.get(url(name, review)).status_code == 403
    _publish(final, coordinator)
    assert client.get(url(name, review)).status_code == 200


@pytest.mark.parametrize("name", ["report_pdf", "report_docx"])
def test_outsider_gets_404(client_for, outsider, published, review, name):
    assert client_for(outsider).get(url(name, review)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client_for, published, review):
    response = client_for(None).get(url("report_pdf", review))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_team_can_pick_a_frozen_version_the_host_cannot(
    client_for, peer, host, published, review, fast_pdf
):
    first = published.versions.order_by("number").first()
    assert first.state == "superseded"
    response = client_for(peer).get(url("report_pdf", review, version=first.number))
    assert f"report-v{first.number}.pdf" in response["Content-Disposition"]
    assert client_for(peer).get(url("report_pdf", review, version=9)).status_code == 404
    response = client_for(host).get(url("report_pdf", review, version=first.number))
    assert response.status_code == 200  # the host gets the final version, whatever it asks
    assert f"report-v{published.final_version.number}.pdf" in response["Content-Disposition"]


def test_draft_docx_is_marked_draft(client_for, team_leader, written, review):
    response = client_for(team_leader).get(url("report_docx", review))
    assert "report-draft.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join([p.text for p in document.paragraphs])
    assert "do not quote or circulate" in text


# --- The public link ---------------------------------------------------------------------------


def test_public_link_opens_only_while_shared(
    client_for, coordinator, peer, published, review, fast_pdf
):
    published.refresh_from_db()
    assert published.public_token == ""
    anonymous = client_for(None)
    assert anonymous.get(reverse("reports:public_report", args=["nothing"])).status_code == 404

    client = client_for(coordinator)
    response = client.post(url("report_share", review), {"action": "create"})
    assert response.status_code == 302
    assert response["Location"] == url("report_final", review)
    published.refresh_from_db()
    token = published.public_token
    assert len(token) >= 30

    anonymous = client_for(None)
    page = anonymous.get(reverse("reports:public_report", args=[token]))
    assert page.status_code == 200
    assert page["X-Robots-Tag"].startswith("noindex")
    body = page.content.decode()
    assert "Rotterdam" in body and RECOMMENDATIONS[0] in body
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;script&gt;" in body  # escaped, not markup
    assert "<script>x</script>" not in body
    assert "file:///etc/passwd" not in body
    assert 'style="' not in body  # the CSP forbids inline styles
    document = anonymous.get(reverse("reports:public_report_pdf", args=[token]))
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert document["X-Robots-Tag"].startswith("noindex")

    # Sharing again keeps the same link.
    client = client_for(coordinator)
    client.post(url("report_share", review), {"action": "create"})
    published.refresh_from_db()
    assert published.public_token == token

    client.post(url("report_share", review), {"action": "revoke"})
    anonymous = client_for(None)
    assert anonymous.get(reverse("reports:public_report", args=[token])).status_code == 404
    assert anonymous.get(reverse("reports:public_report_pdf", args=[token])).status_code == 404


def test_public_link_of_an_unpublished_report_is_404(client_for, final):
    final.new_public_token()
    final.save(update_fields=["public_token"])
    response = client_for(None).get(reverse("reports:public_report", args=[final.public_token]))
    assert response.status_code == 404


def test_sharing_is_refused_to_peers_and_before_publication(
    client_for, peer, coordinator, final, review
):
    assert client_for(peer).post(url("report_share", review), {"action": "create"}).status_code == (
        403
    )
    response = client_for(coordinator).post(url("report_share", review), {"action": "create"})
    assert response.status_code == 403  # not published yet
    final.refresh_from_db()
    assert final.public_token == ""


def test_share_answers_a_get_with_its_confirmation_and_changes_nothing(
    client_for, coordinator, published, review
):
    client = client_for(coordinator)
    page = client.get(url("report_share", review), {"action": "create"})
    assert page.status_code == 200
    assert "Create a public link to the final report?" in page.content.decode()
    assert 'name="action" value="create"' in page.content.decode()
    assert client.get(url("report_share", review)).status_code == 404  # which action?
    published.refresh_from_db()
    assert published.public_token == ""


# --- Pictures ---------------------------------------------------------------------------------


def test_charts_draw_from_the_content_alone(published):
    content = published.final_version.content
    heat = charts.heatmap(content)
    assert len(heat["squares"]) == len(content["indicators"])
    assert [r["text"] for r in heat["rows"]] == [s["key"] for s in content["sections"]]
    assert [c["text"] for c in heat["columns"]] == [v["code"] for v in content["values"]]
    bars = charts.group_bars(content)
    assert sum(b["total"] for b in bars["bars"]) == len(content["indicators"])
    assert {e["fill"] for e in bars["legend"]} == {i["fill"] for i in content["indicators"]}
    one = charts.group_bars(content, group=content["sections"][0]["key"])
    assert len(one["bars"]) == 1


def test_heatmap_without_values_has_one_column():
    content = {
        "sections": [{"key": "R1", "name": "Role"}],
        "values": [],
        "indicators": [
            {"code": f"R1/{n}", "group": "R1", "value": "", "state": "none"}
            | {"state_label": "no evidence", "fill": "#ffffff"}
            for n in range(3)
        ],
    }
    heat = charts.heatmap(content)
    assert len(heat["columns"]) == 1
    assert len(heat["squares"]) == 3
