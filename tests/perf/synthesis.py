"""`make bench`: the comparative report's PDF view against WeasyPrint alone on the same HTML.

Run by tests/perf/run.py in a forked child after the large data set is built: the large
review (its feedback report published) and a second, bare review of another city go into a
programme; its comparative report gets every chapter written, a shared challenge, an
advice and a city example per chapter and two published practices per chapter, then it is
frozen, approved by its author and published. The coordinator downloads the PDF (rendered
at every download: only feedback reports are stored); WeasyPrint alone renders the same
HTML, built by the view's template and context helper.
"""

from __future__ import annotations

import io
import statistics
import time

from tests.perf.pdfs import first_download, time_against_weasyprint

PARAGRAPH = (
    "Most cities have a written integration strategy with a political sponsor; they differ "
    "in how they fund it and in whether anyone checks the results. "
)


def build_programme(world):
    """The programme and its comparative report, version 1 approved, not published yet
    (returns the report): its PDF renders live until it is published, then from storage."""
    from django.db import transaction

    from cities.models import City
    from core.approvals import record_approval
    from practices.models import Practice, PracticeIndicator
    from reviews.models import Membership, Programme, Review
    from syntheses.models import Statement, ensure_report
    from syntheses.services import assign_chapters, freeze_version

    with transaction.atomic():
        version = world.review.benchmark_version
        programme = Programme.objects.create(
            name="Comparative programme (benchmark)", benchmark_version=version
        )
        other = Review.objects.create(
            title="Peer review of a second city",
            host_city=City.objects.create(name="Second city", country="Europe"),
            benchmark_version=version,
            programme=programme,
        )
        Review.objects.filter(pk=world.review.pk).update(programme=programme)
        programme.partners.add(world.review.host_city, other.host_city)
        if not Membership.objects.filter(review=world.review, user=world.leader).exists():
            raise RuntimeError("the large review has no team leader")
        report = ensure_report(programme)
        chapters = list(report.chapters.select_related("group"))
        assign_chapters(report=report, chapters=dict.fromkeys(chapters, world.leader))
        reviews = [world.review, other]
        for chapter in chapters:
            chapter.approach = PARAGRAPH * 6
            chapter.save()
            for kind, cited in (
                (Statement.CHALLENGE, reviews),
                (Statement.ADVICE, reviews),
                (Statement.EXAMPLE, reviews[:1]),
            ):
                statement = Statement.objects.create(
                    chapter=chapter, kind=kind, text=f"{kind.title()}: " + PARAGRAPH * 2
                )
                statement.reviews.set(cited)
            for n, indicator in enumerate(chapter.group.indicators.order_by("number")[:2]):
                practice = Practice.objects.create(
                    slug=f"bench-chapter-{chapter.pk}-{n}",
                    title=f"{chapter.group.name}: practice {n + 1}",
                    description=PARAGRAPH * 4,
                    state=Practice.PUBLISHED,
                )
                practice.cities.add(world.review.host_city)
                PracticeIndicator.objects.create(
                    practice=practice, lineage=indicator.lineage, code=indicator.code
                )
        frozen = freeze_version(report=report, by=world.coordinator)
        record_approval(version=frozen, by=world.leader, approves=True, comment="")
        report.forget()
    return report


def measure_synthesis_pdf(world, *, runs: int, client_for, log) -> dict:
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.urls import reverse
    from django.utils import translation
    from pypdf import PdfReader

    from reports.synthesis_print import TEMPLATE, print_context
    from syntheses.services import publish_report

    report = build_programme(world)
    version = report.pending_version
    content = version.content
    # The approved version before publication: rendered at every download (as a draft).
    url = reverse("reports:synthesis_pdf", args=[report.programme_id]) + "?version=1"
    user = world.coordinator
    client = client_for(user)

    response, view_html = first_download(client, url)  # warm-up
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        log(f"WARNING: the comparative report PDF view answered {response.status_code}")
        return {"status": response.status_code, "url": url}
    request = RequestFactory().get(url)
    request.user = user
    with translation.override(content.get("language") or translation.get_language()):
        html = render_to_string(TEMPLATE, print_context(content, version, True), request=request)
    same_html = html == view_html
    if not same_html:
        log("WARNING: the comparative report HTML outside the view differs from the view's")
    view_times, alone_times = time_against_weasyprint(client, url, html, runs=runs)
    view, alone = statistics.median(view_times), statistics.median(alone_times)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    log(f"comparative report PDF: view {view:.2f} s, WeasyPrint alone {alone:.2f} s, {pages} pages")
    # Published: rendered once (here by the first public download), then read from storage.
    publish_report(report=report, by=user)
    public = reverse("reports:public_synthesis_pdf", args=[report.programme_id])
    reader = client_for(None)
    reader.get(public)  # stored now, if the publication's task has not stored it already
    stored_times = []
    for _ in range(runs):
        start = time.perf_counter()
        got = reader.get(public)
        body = b"".join(got.streaming_content) if got.streaming else got.content
        stored_times.append(time.perf_counter() - start)
    stored = statistics.median(stored_times)
    log(f"comparative report PDF, published, from storage: {stored:.3f} s ({len(body)} bytes)")
    return {
        "status": response.status_code,
        "url": url,
        "size": world.size.name,
        "runs": runs,
        "chapters": len(content["chapters"]),
        "spread_rows": sum(len(c["spread"]) for c in content["chapters"]),
        "practices": sum(len(c["practices"]) for c in content["chapters"]),
        "view_median_s": view,
        "stored_median_s": stored,
        "weasyprint_median_s": alone,
        "ratio": view / alone,
        "view_s": view_times,
        "weasyprint_s": alone_times,
        "same_html": same_html,
        "pages": pages,
        "pdf_bytes": len(response.content),
        "html_chars": len(html),
    }
