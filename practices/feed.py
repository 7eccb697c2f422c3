"""Fed by reviews: a published feedback report's good practices become draft practices.

`reviews` sends ``report_final`` when a version is made final and again when the report is
published; only the second counts here (an unpublished report's findings stay in its team).
Each finding gives one draft, once: publishing again (or a second signal) adds nothing.
The draft is the team leader's to complete and publish; until then only the review's team
and coordinators see it (PracticeQuerySet.for_user).
"""

from __future__ import annotations

from django.utils.text import Truncator

from practices.models import Practice, PracticeIndicator

TITLE_WORDS = 12


def on_report_final(sender, version, **kwargs) -> None:
    report = version.report
    if report.published_at is None:
        return
    drafts_from_report(report)


def drafts_from_report(report) -> list[Practice]:
    from reviews.models import Finding

    review = report.review
    findings = (
        Finding.objects.filter(section__report=report, kind=Finding.GOOD_PRACTICE, practice=None)
        .select_related("section__group")
        .prefetch_related("evidence__indicators", "evidence__session", "evidence__interviewers")
    )
    made = []
    for finding in findings:
        practice = Practice.objects.create(
            slug=f"review-{review.pk}-finding-{finding.pk}",
            title=Truncator(finding.text).words(TITLE_WORDS),
            description=finding.text,
            programme=review.programme.name if review.programme_id else "",
            review=review,
            finding=finding,
            theme=finding.section.group.code,
            evidence_codes="\n".join(
                code for evidence in finding.evidence.all() for code in evidence.codes()
            ),
            state=Practice.DRAFT,
        )
        practice.cities.add(review.host_city)
        indicators = {
            indicator.code: indicator
            for evidence in finding.evidence.all()
            for indicator in evidence.indicators.all()
        }
        benchmark_id = (
            review.benchmark_version.benchmark_id if review.benchmark_version_id else None
        )
        PracticeIndicator.objects.bulk_create(
            PracticeIndicator(
                practice=practice, code=code, lineage=indicator.lineage, benchmark_id=benchmark_id
            )
            for code, indicator in sorted(indicators.items())
        )
        made.append(practice)
    return made
