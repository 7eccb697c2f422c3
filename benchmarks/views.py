"""Benchmarks: browse versions, edit drafts, circulate, publish, compare, import and export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from benchmarks.forms import (
    BenchmarkForm,
    CirculateForm,
    CommentForm,
    CompareForm,
    GlossaryForm,
    GroupForm,
    ImportForm,
    IndicatorForm,
    LevelFormSet,
    PublishForm,
    ScaleForm,
    TagTypeForm,
    ValueForm,
)
from benchmarks.jobs import IMPORT
from benchmarks.models import (
    Benchmark,
    BenchmarkVersion,
    GlossaryEntry,
    Group,
    Indicator,
    IndicatorComment,
    RatingScale,
    ScaleLevel,
    TagType,
    Value,
    VersionReviewer,
)
from benchmarks.services import (
    add_scales,
    compare_versions,
    default_scales,
    export_version,
    save_levels,
    start_new_draft,
)
from benchmarks.spreadsheet import to_xlsx
from core.confirm import Confirmation, confirm_page
from core.limits import posts_left
from core.versioning import save_or_conflict, save_versioned
from jobs.services import start_job

# A pk no indicator has: a link reversed once with it, then each indicator's pk replaces it.
_PLACEHOLDER = 2147483647

PARTS = {
    "group": (Group, GroupForm),
    "value": (Value, ValueForm),
    "indicator": (Indicator, IndicatorForm),
    "term": (GlossaryEntry, GlossaryForm),
    "tagtype": (TagType, TagTypeForm),
}


def get_version(
    user, slug: str, number: int, permission: str = "benchmarks.see_version"
) -> BenchmarkVersion:
    """The version if the user may see it (else 404) and holds `permission` (else 403)."""
    version = get_object_or_404(
        BenchmarkVersion.objects.for_user(user).select_related("benchmark"),
        benchmark__slug=slug,
        number=number,
    )
    if not user.has_perm("benchmarks.see_version", version):
        raise Http404
    if not user.has_perm(permission, version):
        raise PermissionDenied
    return version


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


@login_required
def benchmark_list(request):
    versions = (
        BenchmarkVersion.objects.for_user(request.user)
        .select_related("benchmark")
        .annotate(indicator_count=Count("indicators"))
    )
    benchmarks: dict[int, dict] = {}
    for version in versions.order_by("benchmark__name", "number"):
        entry = benchmarks.setdefault(
            version.benchmark_id, {"benchmark": version.benchmark, "versions": []}
        )
        entry["versions"].append(version)
    return render(
        request,
        "benchmarks/benchmark_list.html",
        {
            "benchmarks": benchmarks.values(),
            "can_manage": request.user.has_perm("benchmarks.manage_benchmarks"),
        },
    )


@login_required
def benchmark_create(request):
    _require(request.user, "benchmarks.manage_benchmarks")
    form = BenchmarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            benchmark = form.save()
            version = BenchmarkVersion.objects.create(benchmark=benchmark, number=1)
            add_scales(version, default_scales(benchmark.kind))
        messages.success(request, _("Benchmark created. Add its groups, values and indicators."))
        return redirect(version)
    return render(request, "benchmarks/benchmark_form.html", {"form": form})


@login_required
def benchmark_detail(request, slug: str):
    versions = BenchmarkVersion.objects.for_user(request.user).filter(benchmark__slug=slug)
    version = (
        versions.published().order_by("-number").first() or versions.order_by("-number").first()
    )
    if version is None:
        raise Http404
    return redirect(version)


@login_required
def version_detail(request, slug: str, number: int):
    version = get_version(request.user, slug, number)
    reviewers = list(version.reviewers.select_related("user"))
    my_review = next((r for r in reviewers if r.user_id == request.user.pk), None)
    versions = list(
        version.benchmark.versions.for_user(request.user).values_list("number", flat=True)
    )
    can_edit = request.user.has_perm("benchmarks.edit_version", version)
    # Revising a draft: the remarks flagged in reviews of earlier versions, per indicator.
    matrix = version.matrix()
    # Each indicator's page, reversed once: the page links every indicator twice.
    link = reverse(
        "benchmarks:indicator",
        kwargs={"slug": version.benchmark.slug, "number": version.number, "pk": _PLACEHOLDER},
    )
    for row in matrix.rows:
        for indicator in row.indicators:
            indicator.url = link.replace(f"/{_PLACEHOLDER}/", f"/{indicator.pk}/")
    from_use: dict = {}
    if can_edit:
        for comment in IndicatorComment.objects.for_next_draft(version):
            from_use.setdefault(comment.indicator.lineage, []).append(comment)
        for row in matrix.rows:
            for indicator in row.indicators:
                indicator.from_use = from_use.get(indicator.lineage, [])
    return render(
        request,
        "benchmarks/version_detail.html",
        {
            "version": version,
            "benchmark": version.benchmark,
            "matrix": matrix,
            "glossary": version.glossaryentrys.all(),
            "tag_types": version.tagtypes.prefetch_related("choices"),
            "scales": version.ratingscales.prefetch_related("levels"),
            "answers_unscored": _answers_unscored(version),
            "questions_unscored": _questions_unscored(version),
            "reviewers": reviewers,
            "my_review": my_review,
            "can_edit": can_edit,
            "from_use_count": sum(len(c) for c in from_use.values()),
            "can_approve": request.user.has_perm("benchmarks.approve_version", version),
            "can_manage": request.user.has_perm("benchmarks.manage_benchmarks"),
            "versions": versions,
        },
    )


def _questions_unscored(version: BenchmarkVersion) -> list[str]:
    """The codes of an index's questions whose own answers (`Indicator.answer_scores`) have
    no score at all: they score nothing, so the editor flags them."""
    if not version.benchmark.is_index:
        return []
    return [
        code
        for code, scores in version.indicators.exclude(answer_scores={}).values_list(
            "code", "answer_scores"
        )
        if all(score is None for score in scores.values())
    ]


def _answers_unscored(version: BenchmarkVersion) -> bool:
    """An index whose answers (the performance scale) carry no score: every question would
    be left out of the scores, so the editor says so."""
    if not version.benchmark.is_index:
        return False
    return not ScaleLevel.objects.filter(
        scale__version=version, scale__purpose=RatingScale.PERFORMANCE, score__isnull=False
    ).exists()


@login_required
def indicator_detail(request, slug: str, number: int, pk: int):
    version = get_version(request.user, slug, number)
    indicator = get_object_or_404(version.indicators.select_related("group", "value"), pk=pk)
    return _indicator_page(request, version, indicator, CommentForm())


def _indicator_page(request, version, indicator, comment_form, status: int = 200):
    context = {
        "version": version,
        "indicator": indicator,
        # Remarks from reviews are for the coordinators who revise the benchmark.
        "comments": (
            indicator.comments
            if request.user.has_perm("benchmarks.manage_benchmarks")
            else indicator.comments.on_drafts()
        ).select_related("author"),
        "tag_names": _tag_names(version, indicator),
        "answers": _answers(version, indicator),
        "comment_form": comment_form,
        "can_comment": request.user.has_perm("benchmarks.comment_version", version),
    }
    return render(request, "benchmarks/indicator_detail.html", context, status=status)


def _answers(version, indicator) -> list[tuple[str, object]] | None:
    """An index question's answers and their scores, in the scale's order: its own
    (`Indicator.answer_scores`) when it has them, else the performance scale's levels.
    None for a rating-scale benchmark."""
    if not version.benchmark.is_index:
        return None
    levels = list(
        ScaleLevel.objects.filter(
            scale__version=version, scale__purpose=RatingScale.PERFORMANCE
        ).order_by("order")
    )
    own = indicator.answer_scores
    if not own:
        return [(level.label, level.score) for level in levels]
    return [(level.label, own[level.code]) for level in levels if level.code in own]


def _tag_names(version, indicator) -> list[tuple[str, list[str]]]:
    result = []
    for tag_type in version.tagtypes.prefetch_related("choices"):
        chosen = indicator.tags.get(tag_type.code, [])
        if chosen:
            result.append(
                (tag_type.name, [c.name for c in tag_type.choices.all() if c.code in chosen])
            )
    return result


@login_required
def part_edit(request, slug: str, number: int, kind: str, pk: int | None = None):
    version = get_version(request.user, slug, number, "benchmarks.edit_version")
    model, form_class = PARTS[kind]
    instance = get_object_or_404(model, version=version, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, version=version)
    context = {"version": version, "form": form, "kind": kind, "instance": instance}
    if request.method == "POST" and form.is_valid():
        if instance is None and kind != "indicator":
            form.instance.order = model.objects.filter(version=version).count()
        part, conflict = save_or_conflict(
            request, form, template="benchmarks/part_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("Saved %(what)s.") % {"what": part})
        if "save_add" in request.POST:
            return redirect("benchmarks:part_add", slug=slug, number=number, kind=kind)
        return redirect(version)
    return render(request, "benchmarks/part_form.html", context)


def _part_items(kind: str, part) -> list[str]:
    if kind == "indicator":
        comments = part.comments.count()
        items = [f"{part.code}: {Truncator(part.text).words(30)}"]
        if comments:
            items.append(
                ngettext(
                    "%(n)s reviewer's comment on it goes with it",
                    "%(n)s reviewers' comments on it go with it",
                    comments,
                )
                % {"n": comments}
            )
        return items
    if kind == "term":
        return [f"{part.term}: {Truncator(part.definition).words(30)}"]
    if kind == "tagtype":
        choices = part.choices.count()
        return [
            ngettext("%(name)s, %(n)s choice", "%(name)s, %(n)s choices", choices)
            % {"name": part.name, "n": choices}
        ]
    return [str(part)]


@login_required
def part_delete(request, slug: str, number: int, kind: str, pk: int):
    version = get_version(request.user, slug, number, "benchmarks.edit_version")
    model, _form = PARTS[kind]
    part = get_object_or_404(model, version=version, pk=pk)
    what = {"kind": model._meta.verbose_name, "what": part, "n": version.number}
    blocker = part.deletion_blocker()
    if request.method == "POST" and blocker:
        messages.error(request, blocker)
        return redirect(version)
    if request.method != "POST":
        return confirm_page(
            request,
            Confirmation(
                title=_("Delete %(kind)s %(what)s from draft version %(n)s?") % what,
                confirm_label=_("Delete it"),
                cancel_url=version.get_absolute_url(),
                items_label=_("What is deleted"),
                items=_part_items(kind, part),
                undo=_(
                    "This cannot be undone: add it to the draft again if needed. Published "
                    "versions and the reviews that use them are not affected."
                ),
                blockers=[blocker] if blocker else [],
            ),
            template="benchmarks/confirm.html",
            version=version,
        )
    part.delete()
    messages.success(request, _("Deleted %(kind)s %(what)s from draft version %(n)s.") % what)
    return redirect(version)


@require_POST
@login_required
def part_move(request, slug: str, number: int, kind: str, pk: int, direction: str):
    version = get_version(request.user, slug, number, "benchmarks.edit_version")
    model, _form = PARTS[kind]
    part = get_object_or_404(model, version=version, pk=pk)
    if not hasattr(part, "move"):
        raise Http404
    part.move(direction)
    return redirect(version)


@login_required
def scale_edit(request, slug: str, number: int, pk: int):
    version = get_version(request.user, slug, number, "benchmarks.edit_version")
    scale = get_object_or_404(RatingScale, version=version, pk=pk)
    form = ScaleForm(request.POST or None, instance=scale)
    levels = LevelFormSet(request.POST or None, instance=scale)
    context = {"version": version, "scale": scale, "form": form, "levels": levels}
    if request.method == "POST" and form.is_valid() and levels.is_valid():

        def save(form):
            save_versioned(form)
            save_levels(scale, levels)

        _saved, conflict = save_or_conflict(
            request, form, template="benchmarks/scale_form.html", context=context, save=save
        )
        if conflict:
            return conflict
        messages.success(request, _("Saved the levels of %(what)s.") % {"what": scale})
        return redirect(version)
    return render(request, "benchmarks/scale_form.html", context)


def _publishing(version: BenchmarkVersion, form: PublishForm) -> Confirmation:
    reviewers = list(version.reviewers.select_related("user"))
    approved = [r.user.name for r in reviewers if r.approved_at]
    waiting = [r.user.name for r in reviewers if not r.approved_at]
    indicators = version.indicators.count()
    groups = version.groups.count()
    items = [
        ngettext("%(n)s indicator in %(groups)s", "%(n)s indicators in %(groups)s", indicators)
        % {
            "n": indicators,
            "groups": ngettext("%(n)s group", "%(n)s groups", groups) % {"n": groups},
        },
        _("Approved by: %(names)s") % {"names": ", ".join(approved) or "–"},
    ]
    missing = []
    if waiting:
        missing.append(
            _("Not yet approved by: %(names)s. Give a reason to publish anyway.")
            % {"names": ", ".join(waiting)}
        )
    else:
        form = None  # the reason is only asked for when someone has not approved
    return Confirmation(
        title=_("Publish %(version)s?") % {"version": version},
        confirm_label=_("Publish and freeze"),
        cancel_url=version.get_absolute_url(),
        lead=_(
            "Published, the version is frozen: nothing in it can change, and reviews can be "
            "opened on it."
        ),
        items_label=_("What becomes final"),
        items=items,
        missing=missing,
        undo=_(
            "Publishing cannot be undone. A coordinator can start a new version from it and "
            "publish that one; reviews stay on the version they use."
        ),
        blockers=[]
        if indicators
        else [_("A version needs at least one indicator before it is published.")],
        form=form,
        danger=False,
    )


@login_required
def version_publish(request, slug: str, number: int):
    version = get_version(request.user, slug, number, "benchmarks.publish_version")
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        try:
            version.publish(
                by=request.user, override_reason=form.cleaned_data.get("override_reason", "")
            )
        except ValidationError as error:
            form.add_error("override_reason" if version.indicators.exists() else None, error)
        else:
            messages.success(
                request, _("Version %(n)s is published and frozen.") % {"n": version.number}
            )
            return redirect(version)
    return confirm_page(
        request,
        _publishing(version, form),
        template="benchmarks/confirm.html",
        status=400 if form.errors else 200,
        version=version,
    )


@require_POST
@login_required
def version_new_draft(request, slug: str, number: int):
    version = get_version(request.user, slug, number)
    _require(request.user, "benchmarks.manage_benchmarks")
    try:
        draft = start_new_draft(version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(version)
    messages.success(request, _("Version %(n)s started as a draft.") % {"n": draft.number})
    return redirect(draft)


@login_required
def version_circulate(request, slug: str, number: int):
    version = get_version(request.user, slug, number, "benchmarks.publish_version")
    form = CirculateForm(
        request.POST or None, initial={"reviewers": [r.user_id for r in version.reviewers.all()]}
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            chosen = set(form.cleaned_data["reviewers"])
            version.reviewers.exclude(user__in=chosen).delete()
            for user in chosen:
                VersionReviewer.objects.get_or_create(version=version, user=user)
            version.circulated_at = timezone.now()
            version.save(update_fields=["circulated_at"])
        messages.success(
            request,
            ngettext(
                "The draft is circulated to %(n)s peer.",
                "The draft is circulated to %(n)s peers.",
                len(chosen),
            )
            % {"n": len(chosen)},
        )
        return redirect(version)
    approved = version.reviewers.filter(approved_at__isnull=False).select_related("user")
    return render(
        request,
        "benchmarks/circulate.html",
        {"version": version, "form": form, "approved": approved},
    )


@require_POST
@login_required
def version_approve(request, slug: str, number: int):
    version = get_version(request.user, slug, number, "benchmarks.approve_version")
    version.reviewers.filter(user=request.user, approved_at__isnull=True).update(
        approved_at=timezone.now()
    )
    messages.success(request, _("You approved this draft."))
    return redirect(version)


@require_POST
@login_required
def indicator_comment(request, slug: str, number: int, pk: int):
    version = get_version(request.user, slug, number, "benchmarks.comment_version")
    indicator = get_object_or_404(version.indicators.select_related("group", "value"), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid() and not posts_left(
        IndicatorComment.objects.all(),
        author_field="author",
        user=request.user,
        time_field="created_at",
    ):
        form.add_error(None, _("You have posted many comments this hour; please wait a while."))
    if not form.is_valid():
        return _indicator_page(request, version, indicator, form)
    IndicatorComment.objects.create(
        indicator=indicator, author=request.user, text=form.cleaned_data["text"]
    )
    messages.success(request, _("Your comment is saved."))
    return redirect(indicator)


@login_required
def version_compare(request, slug: str):
    benchmark = get_object_or_404(Benchmark, slug=slug)
    numbers = list(
        BenchmarkVersion.objects.for_user(request.user)
        .filter(benchmark=benchmark)
        .values_list("number", flat=True)
    )
    if not numbers:
        raise Http404
    form = CompareForm(
        request.GET or {"old": max(min(numbers), max(numbers) - 1), "new": max(numbers)}
    )
    diff = old = new = None
    if form.is_valid():
        old = get_version(request.user, slug, form.cleaned_data["old"])
        new = get_version(request.user, slug, form.cleaned_data["new"])
        diff = compare_versions(old, new)
    return render(
        request,
        "benchmarks/compare.html",
        {
            "benchmark": benchmark,
            "numbers": numbers,
            "form": form,
            "diff": diff,
            "old": old,
            "new": new,
        },
    )


@login_required
def version_export(request, slug: str, number: int, fmt: str):
    version = get_version(request.user, slug, number)
    data = export_version(version)
    filename = f"{slug}-v{number}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    response = HttpResponse(
        to_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def benchmark_import(request, slug: str | None = None):
    """The file is checked for size here; reading and importing it run as a job, whose page
    shows the progress, then the new draft or every problem found (nothing saved)."""
    _require(request.user, "benchmarks.manage_benchmarks")
    benchmark = get_object_or_404(Benchmark, slug=slug) if slug else None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_job(
            kind=IMPORT,
            by=request.user,
            params={"benchmark_id": benchmark.pk if benchmark else None},
            upload=form.cleaned_data["file"],
            back_url=request.path,
        )
        return redirect(job)
    return render(request, "benchmarks/import.html", {"form": form, "benchmark": benchmark})
