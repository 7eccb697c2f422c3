"""The confirmation page of every destructive or one-way action.

The action's URL answers GET with this page (what goes or becomes final, who can undo it, a
Confirm button and a Cancel link) and does the action on POST, so following a link or
reloading a page never changes anything. Each app extends ``templates/confirm.html`` only to
add its breadcrumbs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.http import HttpResponse
from django.shortcuts import render


@dataclass
class Confirmation:
    title: str  # the question, e.g. "Delete this evidence entry?"
    confirm_label: str  # the button: says the action, e.g. "Delete the entry"
    cancel_url: str
    lead: str = ""  # what the action does, in one or two sentences
    items_label: str = ""  # e.g. "What is deleted", "What becomes final"
    items: Sequence[str] = ()  # each thing named: codes, names, counts
    notes: Sequence[str] = ()  # what follows from it
    missing: Sequence[str] = ()  # allowed, but worth knowing before confirming
    undo: str = ""  # who can undo or reopen it, or that nobody can
    blockers: Sequence[str] = ()  # why it cannot be done now: no Confirm button then
    hidden: Mapping[str, str] = field(default_factory=dict)  # posted with the button
    form: forms.Form | None = None  # what must be given to confirm (e.g. a reason)
    danger: bool = True  # deleting or removing (red) rather than a step forward


def confirm_page(
    request, confirmation: Confirmation, *, template: str, status: int = 200, **context
) -> HttpResponse:
    return render(request, template, {"confirm": confirmation, **context}, status=status)
