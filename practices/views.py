"""The library's pages: the list with search and filters, a practice, completing and
publishing it, and the exports. Published practices are readable without signing in."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cities.models import City
from core.confirm import Confirmation, confirm_page
from core.spreadsheets import CSV_TYPE, csv_text, is_formula_like
from core.versioning import save_or_conflict, unique_twin
from practices import search
from practices.forms import NewPracticeForm, PracticeForm
from practices.models import CRITERIA, Practice, Tag
from practices.services import (
    approve_practice,
    publish_practice,
    refresh_state,
    reopen_practice,
    unpublish_practice,
    withdraw_approval,
)

PAGE_SIZE = 25


@dataclass
class Filters:
    q: str = ""
    indicator: str = ""
    city: str = ""
    tag: str = ""
    programme: str = ""
    criterion: str = ""

    @classmethod
    def from_request(cls, request) -> Filters:
        return cls(
            **{key: request.GET.get(key, "").strip()[:200] for key in cls.__dataclass_fields__}
        )

    def apply(self, queryset):
        queryset = search.full_text(queryset, self.q)
        queryset = search.by_indicator(queryset, self.indicator)
        if self.city.isdigit():
            queryset = queryset.filter(cities__pk=int(self.city))
        if self.tag.isdigit():
            queryset = queryset.filter(tags__pk=int(self.tag))
        if self.programme:
            queryset = queryset.filter(programme=self.programme)
        queryset = search.by_criterion(queryset, self.criterion)
        return queryset.distinct()

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def matching(request):
    filters = Filters.from_request(request)
    practices = filters.apply(Practice.objects.for_user(request.user))
    return filters, practices.prefetch_related("cities").order_by(
        "title_" + search.reader_language(), "pk"
    )


def library(request):
    filters, practices = matching(request)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = Practice.objects.for_user(request.user)
    context = {
        "filters": filters,
        "page": page,
        "cities": City.objects.filter(practices__in=visible).distinct(),
        "tags": Tag.objects.filter(practices__in=visible).distinct(),
        "programmes": sorted(
            set(visible.exclude(programme="").values_list("programme", flat=True))
        ),
        "criteria": CRITERIA,
        "query_string": request.GET.urlencode(),
        "may_add": request.user.has_perm("practices.add_practice"),
    }
    return render(request, "practices/library.html", context)


def _practice_for(request, slug: str, perm: str = "practices.see_practice") -> Practice:
    practice = get_object_or_404(Practice, slug=slug)
    if not request.user.has_perm("practices.see_practice", practice):
        if not request.user.is_authenticated:
            raise _SignIn
        raise Http404
    if not request.user.has_perm(perm, practice):
        if not request.user.is_authenticated:
            raise _SignIn
        raise PermissionDenied
    return practice


class _SignIn(Exception):
    pass


def _signing_in(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_signing_in
def detail(request, slug: str):
    practice = _practice_for(request, slug)
    approvals = list(practice.current_approvals())
    approved_by = {approval.user_id for approval in approvals}
    context = {
        "practice": practice,
        "indicator_links": practice.indicator_links.select_related("benchmark"),
        "may_edit": request.user.has_perm("practices.edit_practice", practice),
        "may_approve": request.user.has_perm("practices.approve_practice", practice),
        "has_approved": request.user.pk in approved_by,
        "may_reopen": request.user.has_perm("practices.reopen_practice", practice),
        "may_publish": request.user.has_perm("practices.publish_practice", practice),
        "may_unpublish": request.user.has_perm("practices.unpublish_practice", practice),
    }
    if not practice.is_published:
        needed = practice.approvers_needed()
        context["approvals"] = approvals
        context["waiting_for"] = [user for user in needed if user.pk not in approved_by]
    return render(request, "practices/detail.html", context)


def new(request):
    """A coordinator enters a practice directly in the browser (a draft until approved)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("practices.add_practice"):
        raise PermissionDenied
    form = NewPracticeForm(request.POST or None)
    context = {"form": form, "new": True}
    if request.method == "POST" and form.is_valid():
        # Someone saved a practice of the same short name since the form was checked.
        context["twin"] = unique_twin("slug")(form)
        saved, conflict = save_or_conflict(
            request,
            form,
            template="practices/practice_form.html",
            context=context,
            twin=context["twin"],
        )
        if conflict:
            return conflict
        refresh_state(saved)
        messages.success(request, _("The practice is saved as a draft."))
        return redirect(saved)
    return render(request, "practices/practice_form.html", context)


@_signing_in
def edit(request, slug: str):
    practice = _practice_for(request, slug, "practices.edit_practice")
    form = PracticeForm(request.POST or None, instance=practice)
    context = {"practice": practice, "form": form}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="practices/practice_form.html", context=context
        )
        if conflict:
            return conflict
        refresh_state(practice)  # a change supersedes the approvals
        messages.success(request, _("The practice is saved."))
        return redirect(practice)
    return render(request, "practices/practice_form.html", context)


@_signing_in
def approve(request, slug: str):
    """Approve the practice as it is now (`approves=yes`), or withdraw one's approval."""
    practice = _practice_for(request, slug, "practices.approve_practice")
    if request.method != "POST":
        return redirect(practice)
    if request.POST.get("approves") == "no":
        withdraw_approval(practice=practice, by=request.user)
        messages.success(request, _("Your approval is withdrawn."))
    else:
        approve_practice(practice=practice, by=request.user)
        messages.success(request, _("You approved the practice."))
    return redirect(practice)


@_signing_in
def reopen(request, slug: str):
    practice = _practice_for(request, slug, "practices.reopen_practice")
    if request.method == "POST":
        reopen_practice(practice=practice, by=request.user)
        messages.success(request, _("The practice is a draft again."))
        return redirect(practice)
    approvals = practice.current_approvals()
    confirmation = Confirmation(
        title=_("Reopen this practice as a draft?"),
        confirm_label=_("Reopen the practice"),
        cancel_url=practice.get_absolute_url(),
        lead=_("Its approvals are cleared: it needs approving again before it is published."),
        items_label=_("Approvals cleared"),
        items=[str(approval.user) for approval in approvals],
        undo=_("Whoever approved it can approve it again."),
    )
    return confirm_page(request, confirmation, template="practices/confirm.html", practice=practice)


@_signing_in
def publish(request, slug: str):
    practice = _practice_for(request, slug, "practices.publish_practice")
    if request.method == "POST":
        publish_practice(practice=practice, by=request.user)
        messages.success(request, _("The practice is published in the library."))
        return redirect(practice)
    missing = [label for _code, label, text in practice.assessments() if not text]
    confirmation = Confirmation(
        title=_("Publish this practice?"),
        confirm_label=_("Publish the practice"),
        cancel_url=practice.get_absolute_url(),
        lead=_("Everyone can then read it in the library, without signing in."),
        items_label=_("What is published"),
        items=[practice.title, practice.where()],
        missing=[_("Assessment: %(criterion)s") % {"criterion": label} for label in missing],
        undo=_("A coordinator can take it out of the library again."),
        danger=False,
    )
    return confirm_page(request, confirmation, template="practices/confirm.html", practice=practice)


@_signing_in
def unpublish(request, slug: str):
    practice = _practice_for(request, slug, "practices.unpublish_practice")
    if request.method == "POST":
        unpublish_practice(practice=practice, by=request.user)
        messages.success(request, _("The practice is no longer in the public library."))
        return redirect(practice)
    confirmation = Confirmation(
        title=_("Take this practice out of the library?"),
        confirm_label=_("Unpublish the practice"),
        cancel_url=practice.get_absolute_url(),
        lead=_("Readers no longer find it; its texts are kept and it can be published again."),
        items_label=_("What is unpublished"),
        items=[practice.title, practice.where()],
    )
    return confirm_page(request, confirmation, template="practices/confirm.html", practice=practice)


EXPORT_FIELDS = [
    "slug",
    "title",
    "cities",
    "organisation",
    "programme",
    "theme",
    "indicators",
    "tags",
    "description",
    "transferability",
    *[code for code, _label in CRITERIA],
    "contact_role",
    "sources",
    "url",
]


def _export_rows(request, practices) -> list[dict]:
    rows = []
    for practice in practices.prefetch_related("tags", "indicator_links"):
        row = {
            "slug": practice.slug,
            "title": practice.title,
            "cities": ", ".join(city.name for city in practice.cities.all()),
            "organisation": practice.organisation,
            "programme": practice.programme,
            "theme": practice.theme,
            "indicators": ", ".join(link.code for link in practice.indicator_links.all()),
            "tags": ", ".join(tag.name for tag in practice.tags.all()),
            "description": practice.description,
            "transferability": practice.transferability,
            **{code: text for code, _label, text in practice.assessments()},
            "contact_role": practice.contact_role,
            "sources": practice.sources,
            "url": request.build_absolute_uri(practice.get_absolute_url()),
        }
        rows.append({key: row[key] or "" for key in EXPORT_FIELDS})
    return rows


def _json_safe(value: str) -> str:
    """JSON has types, but its text often ends in a spreadsheet: neutralised as in CSV."""
    return "'" + value if is_formula_like(value) else value


def export(request, fmt: str):
    """The practices the list shows (same search and filters), as CSV or JSON."""
    if fmt not in ("csv", "json"):
        raise Http404
    _filters, practices = matching(request)
    rows = _export_rows(request, practices)
    if fmt == "csv":
        body = csv_text([EXPORT_FIELDS, *[[row[key] for key in EXPORT_FIELDS] for row in rows]])
        response = HttpResponse(body, content_type=CSV_TYPE)
    else:
        safe = [{key: _json_safe(value) for key, value in row.items()} for row in rows]
        response = HttpResponse(
            json.dumps({"practices": safe}, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="good-practices.{fmt}"'
    return response
