"""Remarks on indicators flagged "for the benchmark" while a review uses it.

A peer's desk review entry, the team's evaluation and the host city's self-assessment each
have a `benchmark_note`. Its text is kept in step with one `benchmarks.IndicatorComment`
(the benchmark app knows nothing of reviews): written when the note is written, changed
with it, deleted when it is emptied (both rows keep their history). The coordinator's next
draft of the benchmark lists these remarks beside each indicator, matched by lineage:
the visits are a testing ground after which the indicators are revised (001, ~l.1040).
"""

from __future__ import annotations

from benchmarks.models import IndicatorComment


def origin_of(review) -> str:
    """Where a remark was made, in names that stay readable: the review and its programme."""
    if review.programme_id:
        return f"{review.title} · {review.programme.name}"
    return review.title


def flag_for_benchmark(row, *, kind: str, review, author) -> None:
    """Keep the benchmark's comment for `row.benchmark_note` in step with it."""
    source = f"{row._meta.label_lower}:{row.pk}"
    text = row.benchmark_note.strip()
    if not text:
        for comment in IndicatorComment.objects.filter(source=source):
            comment.delete()
        return
    IndicatorComment.objects.update_or_create(
        source=source,
        defaults={
            "indicator_id": row.indicator_id,
            "author": author,
            "text": text,
            "kind": kind,
            "origin": origin_of(review),
        },
    )


def flag_if_changed(form, *, kind: str, review, author) -> None:
    """After a form of such a row is saved: pass its note on if the person changed it."""
    if "benchmark_note" in form.changed_data:
        flag_for_benchmark(form.instance, kind=kind, review=review, author=author)
