"""Who gets what on every URL: one row per URL name, one column per role.

The test walks the project's URL resolver, so a new URL without a row here
fails `test_every_url_has_a_row`. Add its row when you add the URL.

Answers: 200, 403, 404, 405, LOGIN (302 to the sign-in page), REDIRECT (any
302 that is not the sign-in page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max

from cities.two_factor import issue_recovery_codes
from jobs.models import Job
from mail.models import Delivery
from reviews.models import Notification, Review
from tests.conftest import (
    build_benchmark_versions,
    build_programme,
    build_report_draft,
    build_review_work,
    new_cast_member,
    new_city,
    new_review,
    new_user,
)

LOGIN = "login"
REDIRECT = "redirect"
ROLES = ("anonymous", "outsider", "host", "peer", "team_leader", "coordinator")


@dataclass(frozen=True)
class Row:
    anonymous: object
    outsider: object
    host: object
    peer: object
    team_leader: object
    coordinator: object
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(answer, *, anonymous=LOGIN, method="get", data=None) -> Row:
    return Row(anonymous, answer, answer, answer, answer, answer, method, data or {})


MEMBERS_ONLY = Row(LOGIN, 404, 200, 200, 200, 200)
MANAGERS_ONLY = Row(LOGIN, 404, 403, 403, 403, 200)
HOST_AND_COORDINATORS = Row(LOGIN, 404, 200, 403, 403, 200)
HOST_ONLY = Row(LOGIN, 404, 200, 403, 403, 403)
PLANNERS = Row(LOGIN, 404, 403, 403, 200, 200)
TEAM_AND_MANAGERS = Row(LOGIN, 404, 403, 200, 200, 200)
HOST_ONLY_POST = Row(LOGIN, 404, REDIRECT, 403, 403, 403, method="post")
COORDINATORS_ONLY = Row(LOGIN, 403, 403, 403, 403, 200)

TEAM_WRITES = Row(LOGIN, 404, 403, 200, 200, 403)
TEAM_WRITES_POST = Row(LOGIN, 404, 403, REDIRECT, REDIRECT, 403, method="post")
LEADER_POST = Row(LOGIN, 404, 403, 403, REDIRECT, 403, method="post")
NOBODY = Row(LOGIN, 404, 403, 403, 403, 403)
NOBODY_POST = Row(LOGIN, 404, 403, 403, 403, 403, method="post")

COORDINATOR_POST = Row(LOGIN, 404, 403, 403, 403, REDIRECT, method="post")

DRAFT_EDIT = Row(LOGIN, 404, 404, 403, 404, 200)
DRAFT_EDIT_POST = Row(LOGIN, 404, 404, 403, 404, REDIRECT, method="post")

MATRIX: dict[str, Row] = {
    "home": everyone(REDIRECT, anonymous=REDIRECT),
    # Accounts
    "login": everyone(REDIRECT, anonymous=200),
    "logout": everyone(LOGIN, method="post"),
    "profile": everyone(200),
    "password_change": everyone(200),
    "password_change_done": everyone(200),
    "password_reset": everyone(200, anonymous=200),
    "password_reset_done": everyone(200, anonymous=200),
    "password_reset_confirm": everyone(200, anonymous=200),
    "password_reset_complete": everyone(200, anonymous=200),
    "set_language": everyone(REDIRECT, anonymous=REDIRECT, method="post", data={"language": "nl"}),
    # Two-factor sign-in, for everyone signed in. Nobody here has set it up (and the QR code
    # exists only during set-up); recovery codes and removal need a session verified by a
    # code, so the others are sent to the overview. (Behaviour: tests/test_two_factor.py.)
    "two_factor:profile": everyone(200),
    "two_factor:setup": everyone(200),
    "two_factor:qr": everyone(404),
    "two_factor:recovery_codes": everyone(REDIRECT),
    "two_factor:disable": everyone(REDIRECT),
    # Cities: everyone signed in reads; the city's own staff (here: host) and coordinators edit.
    "cities": everyone(200),
    "city": everyone(200),
    "city_edit": Row(LOGIN, 403, 200, 403, 403, 200),
    "city_create": COORDINATORS_ONLY,
    # Only coordinators set the city a person works for (it decides conflicts of interest).
    "people": COORDINATORS_ONLY,
    "person_city": COORDINATORS_ONLY,
    # Review shell
    "reviews:dashboard": everyone(200),
    # E-mail deliveries: coordinators see the failed ones and send them again (the sample
    # is sent already, so the confirmation page says why not).
    "mail:deliveries": COORDINATORS_ONLY,
    "mail:send_again": Row(LOGIN, 403, 403, 403, 403, 200, method="post"),
    "reviews:all": COORDINATORS_ONLY,
    "reviews:detail": MEMBERS_ONLY,
    "reviews:step": MEMBERS_ONLY,
    # Moving on shows what the step lacks and asks to confirm; moving back asks a reason.
    "reviews:advance": MANAGERS_ONLY,
    "reviews:move_back": MANAGERS_ONLY,
    # The review's archive holds every person's data: coordinators of the network only.
    "reviews:archive_export": Row(LOGIN, 404, 403, 403, 403, 200),
    # Opening a review and step 2: coordinators manage, members see the team.
    "reviews:new": COORDINATORS_ONLY,
    # Someone else's notification is not found; the sample belongs to the host.
    "reviews:notification": Row(LOGIN, 404, REDIRECT, 404, 404, 404, method="post"),
    "reviews:edit": MANAGERS_ONLY,
    "reviews:scope": MANAGERS_ONLY,
    "reviews:team": MEMBERS_ONLY,
    "reviews:team_add": Row(LOGIN, 404, 403, 403, 403, 200, method="post", data={"role": "peer"}),
    "reviews:team_remove": Row(LOGIN, 404, 403, 403, 403, REDIRECT, method="post"),
    "reviews:training_add": MANAGERS_ONLY,
    "reviews:training_edit": MANAGERS_ONLY,
    # Step 3, report not yet submitted: the host and coordinators see it, the team does not;
    # only the host writes. (After submission: tests/test_inception.py.)
    "reviews:inception": HOST_AND_COORDINATORS,
    "reviews:inception_read": HOST_AND_COORDINATORS,
    "reports:inception_pdf": HOST_AND_COORDINATORS,
    "reviews:interviewees": HOST_AND_COORDINATORS,
    "reviews:file": HOST_AND_COORDINATORS,
    "reviews:inception_section": HOST_ONLY,
    "reviews:inception_group": HOST_ONLY,
    "reviews:inception_provenance": HOST_ONLY,
    "reviews:interviewee_add": HOST_ONLY,
    "reviews:interviewee_edit": HOST_ONLY,
    # Removing and submitting ask first on a page of their own (then post from it).
    "reviews:interviewee_delete": HOST_ONLY,
    "reviews:file_delete": HOST_ONLY,
    "reviews:inception_submit": HOST_ONLY,
    "reviews:inception_reopen": Row(LOGIN, 404, 403, 403, 403, 403, method="post"),
    # Step 4 before the inception report is submitted: closed to everyone.
    # (After submission, and the desk reviews' blindness: tests/test_desk_review.py.)
    "reviews:desk_review": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:desk_review_group": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:desk_review_submit": Row(LOGIN, 404, 403, 403, 403, 403, method="post"),
    "reviews:desk_review_reopen": Row(LOGIN, 404, 403, 403, 403, 403, method="post"),
    "reviews:desk_review_team": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:requests": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:request_answer": Row(LOGIN, 404, 403, 403, 403, 403),
    # Step 5: the host sees the timetable, only the team its briefs and schedules;
    # the team leader and coordinators plan.
    "reviews:planner": MEMBERS_ONLY,
    "reports:timetable_pdf": MEMBERS_ONLY,
    "reviews:session_add": PLANNERS,
    "reviews:visit_settings": PLANNERS,
    "reviews:session_edit": PLANNERS,
    "reviews:session_delete": Row(LOGIN, 404, 403, 403, REDIRECT, REDIRECT, method="post"),
    "reviews:brief": TEAM_AND_MANAGERS,
    "reports:brief_pdf": TEAM_AND_MANAGERS,
    "reviews:schedule": TEAM_AND_MANAGERS,
    "reports:schedule_ics": TEAM_AND_MANAGERS,
    # Step 6: the evidence is the team's (host: none before the report is published).
    "reviews:evidence": TEAM_AND_MANAGERS,
    "reviews:evidence_overview": TEAM_AND_MANAGERS,
    "reports:evidence_export": TEAM_AND_MANAGERS,
    "reviews:evidence_history": TEAM_AND_MANAGERS,
    "reviews:evaluation": TEAM_AND_MANAGERS,
    "reviews:evidence_add": Row(LOGIN, 404, 403, 200, 200, 403),
    # The sample entry is the peer's: its author and the team leader may change it.
    "reviews:evidence_edit": Row(LOGIN, 404, 403, 200, 200, 403),
    "reviews:evidence_delete": Row(LOGIN, 404, 403, REDIRECT, REDIRECT, 403, method="post"),
    "reviews:evidence_restore": Row(LOGIN, 404, 403, 403, 404, 403, method="post"),
    # Step 7 on site (not yet locked): the leader drafts, the team agrees or dissents.
    "reviews:conclusions": TEAM_AND_MANAGERS,
    "reviews:conclusion_add": Row(LOGIN, 404, 403, 403, 200, 403, method="post"),
    "reviews:conclusion_edit": Row(LOGIN, 404, 403, 403, 200, 403),
    "reviews:conclusion_vote": Row(
        LOGIN, 404, 403, REDIRECT, REDIRECT, 403, method="post", data={"v{c}-agrees": "yes"}
    ),
    "reviews:feedback": Row(LOGIN, 404, 403, 403, 403, 403, method="post"),
    # Step 7, the report: a draft with version 1 frozen (not yet approved) and sent to the
    # host city for its factual-accuracy round. The host sees that round only; the team
    # writes; nothing is final or published yet. (Later states: tests/test_report.py,
    # tests/test_report_output.py, tests/test_follow_up.py.)
    "reviews:report": TEAM_AND_MANAGERS,
    "reviews:report_section": TEAM_AND_MANAGERS,
    "reviews:report_version": TEAM_AND_MANAGERS,
    "reports:report_pdf": TEAM_AND_MANAGERS,
    "reports:report_docx": TEAM_AND_MANAGERS,
    "reviews:report_summary": TEAM_WRITES,
    "reviews:report_finding_add": TEAM_WRITES,
    "reviews:report_finding_edit": TEAM_WRITES,
    "reviews:report_rec_add": TEAM_WRITES,
    "reviews:report_rec_edit": TEAM_WRITES,
    # The report exists: starting it again only adds sections for groups new in scope.
    "reviews:report_start": TEAM_WRITES_POST,
    "reviews:report_finding_delete": TEAM_WRITES_POST,
    "reviews:report_rec_delete": TEAM_WRITES_POST,
    "reviews:report_assign": LEADER_POST,
    "reviews:report_factual_open": LEADER_POST,
    "reviews:report_factual_close": LEADER_POST,
    "reviews:report_finalise": LEADER_POST,
    # Not final yet: nothing to reopen.
    "reviews:report_reopen": NOBODY_POST,
    "reviews:report_approve": Row(
        LOGIN, 404, 403, REDIRECT, REDIRECT, 403, method="post", data={"approves": "yes"}
    ),
    # Someone's answer without text is refused (400) with a message next to the field.
    "reviews:report_factual_answer": Row(LOGIN, 404, 403, 400, 400, 403, method="post"),
    "reviews:report_factual": MEMBERS_ONLY,
    # Version 1 waits for approvals: nothing to freeze; nothing final to read or publish.
    "reviews:report_freeze": NOBODY_POST,
    "reviews:report_publish": NOBODY_POST,
    "reviews:report_share": NOBODY_POST,
    # Not final yet: the coordinator may still choose the network annex.
    "reviews:report_annex": Row(
        LOGIN, 404, 403, 403, 403, REDIRECT, method="post", data={"annex": "1"}
    ),
    "reviews:report_final": NOBODY,
    "reviews:report_presentation": NOBODY,
    "reports:public_report": everyone(404, anonymous=404),
    "reports:public_report_pdf": everyone(404, anonymous=404),
    # The host city's response and follow-up open only after publication.
    "reviews:responses": NOBODY,
    "reviews:response_edit": NOBODY,
    "reviews:action_plan": NOBODY,
    "reports:action_plan_pdf": NOBODY,
    "reports:action_plan_xlsx": NOBODY,
    "reviews:progress_edit": NOBODY,
    "reviews:checkpoints": NOBODY,
    "reviews:commitments": COORDINATORS_ONLY,
    # The personal data of the people interviewed: network coordinators only (a review's own
    # coordinator neither: tests/test_privacy.py). GET on pseudonymise is its confirmation.
    "reviews:privacy": COORDINATORS_ONLY,
    "reviews:privacy_review": Row(LOGIN, 404, 403, 403, 403, 200),
    "reviews:person_data": Row(LOGIN, 404, 403, 403, 403, 200),
    "reviews:person_pseudonymise": Row(LOGIN, 404, 403, 403, 403, 200),
    # Programmes (the sample review is in one): everyone on one of its reviews sees the
    # board read-only; coordinators run it. The list shows each person what they may see.
    "reviews:programmes": everyone(200),
    "reviews:programme_new": COORDINATORS_ONLY,
    "reviews:programme": MEMBERS_ONLY,
    "reviews:programme_edit": MANAGERS_ONLY,
    "reviews:programme_pool": MANAGERS_ONLY,
    "reviews:programme_teams": MANAGERS_ONLY,
    "reviews:programme_training_add": MANAGERS_ONLY,
    "reviews:programme_training_edit": MANAGERS_ONLY,
    "comparisons:matrix": MEMBERS_ONLY,
    "comparisons:chosen": COORDINATORS_ONLY,
    "reports:programme_spread": MEMBERS_ONLY,
    # A city against the network and its trend: anyone signed in sees the page; the world's
    # review is unpublished, so its chart only for whoever sees its evidence (the host not
    # yet), and the city has one review: no trend to draw.
    "comparisons:city": everyone(200),
    "reports:review_network": Row(LOGIN, 404, 404, 200, 200, 200),
    "reports:city_trend": everyone(404),
    # The public network page; the world's programme has no published report (so no chart).
    "comparisons:network": everyone(200, anonymous=200),
    "reports:public_programme_spread": everyone(404, anonymous=404),
    # Open data: closed in the world (the programme's coordinator has not opened it).
    "reports:programme_open_data": MANAGERS_ONLY,
    "comparisons:open_data_toggle": Row(
        LOGIN, 404, 403, 403, 403, REDIRECT, method="post", data={"open": "1"}
    ),
    # Benchmarks: published versions for everyone signed in; drafts for coordinators
    # and the peers they were circulated to (here: `peer`); only coordinators edit.
    "benchmarks:list": everyone(200),
    "benchmarks:create": COORDINATORS_ONLY,
    "benchmarks:import_new": COORDINATORS_ONLY,
    "benchmarks:import": COORDINATORS_ONLY,
    "benchmarks:benchmark": everyone(REDIRECT),
    "benchmarks:compare": everyone(200),
    "benchmarks:version": everyone(200),
    "benchmarks:indicator": everyone(200),
    "benchmarks:export": everyone(200),
    "benchmarks:new_draft": Row(LOGIN, 403, 403, 403, 403, REDIRECT, method="post"),
    # On the draft:
    "benchmarks:part_add": DRAFT_EDIT,
    "benchmarks:part_edit": DRAFT_EDIT,
    "benchmarks:circulate": DRAFT_EDIT,
    "benchmarks:part_delete": DRAFT_EDIT_POST,
    "benchmarks:part_move": DRAFT_EDIT_POST,
    # The draft waits for `peer`'s approval: publishing anyway needs a reason.
    "benchmarks:publish": Row(
        LOGIN, 404, 404, 403, 404, REDIRECT, method="post", data={"override_reason": "Training"}
    ),
    "benchmarks:scale_edit": DRAFT_EDIT,
    "benchmarks:approve": Row(LOGIN, 404, 404, REDIRECT, 404, 403, method="post"),
    "benchmarks:comment": Row(
        LOGIN, 404, 404, REDIRECT, 404, REDIRECT, method="post", data={"text": "Too prescriptive"}
    ),
    # A job (here: one the peer started, finished with a file) is for whoever started it
    # and coordinators; anyone else is told it does not exist.
    "jobs:detail": Row(LOGIN, 404, 404, 200, 404, 200),
    "jobs:status": Row(LOGIN, 404, 404, 200, 404, 200),
    "jobs:result": Row(LOGIN, 404, 404, 200, 404, 200),
    # For monitors and load balancers, signed in or not: it shows no data (tests/test_health.py).
    "health": everyone(200, anonymous=200),
    # The good-practice library: published practices for everyone, signed in or not. The
    # sample is a draft from the review's published report: its team and coordinators see
    # it, the team leader (and coordinators) complete it, each member of the team approves
    # it (not a coordinator for them); only an approved one is reopened or published, only
    # a published one unpublished. Coordinators enter practices directly.
    # (Behaviour: tests/test_practices.py.)
    "practices:library": everyone(200, anonymous=200),
    "practices:export": everyone(200, anonymous=200),
    "practices:new": COORDINATORS_ONLY,
    "practices:detail": Row(LOGIN, 404, 404, 200, 200, 200),
    "practices:edit": Row(LOGIN, 404, 404, 403, 200, 200),
    "practices:approve": Row(
        LOGIN, 404, 404, REDIRECT, REDIRECT, 403, method="post", data={"approves": "yes"}
    ),
    "practices:reopen": Row(LOGIN, 404, 404, 403, 403, 403, method="post"),
    "practices:publish": Row(LOGIN, 404, 404, 403, 403, 403, method="post"),
    "practices:unpublish": Row(LOGIN, 404, 404, 403, 403, 403, method="post"),
    # The comparative report of the world's programme (its page tells the other members that
    # it is being written): opened, its first chapter written by
    # the team leader (a city example), version 1 frozen. The coordinator and the programme's
    # team leaders read the draft; the author writes and approves; the coordinator assigns,
    # freezes (refused: version 1 waits), publishes (refused: not approved) and reopens
    # (refused: not published). (Behaviour: tests/test_syntheses.py.)
    "syntheses:report": MEMBERS_ONLY,
    "syntheses:start": COORDINATOR_POST,
    "syntheses:assign": COORDINATOR_POST,
    "syntheses:chapter": PLANNERS,
    "syntheses:statement_add": PLANNERS,
    "syntheses:statement": PLANNERS,
    "syntheses:statement_delete": Row(LOGIN, 404, 403, 403, REDIRECT, REDIRECT, method="post"),
    "syntheses:freeze": COORDINATOR_POST,
    "syntheses:version": PLANNERS,
    "syntheses:approve": Row(
        LOGIN, 404, 403, 403, REDIRECT, 403, method="post", data={"approves": "yes"}
    ),
    "syntheses:publish": COORDINATOR_POST,
    "syntheses:reopen": COORDINATOR_POST,
    "reports:synthesis_pdf": PLANNERS,
    "reports:synthesis_docx": PLANNERS,
    "reports:public_synthesis_pdf": everyone(404, anonymous=404),
}
# Destructive and one-way actions answer GET with their confirmation page (core/confirm.py);
# the rows above are for the POST that does it. A GET never changes anything.
CONFIRMATIONS: dict[str, Row] = {
    "reviews:team_remove": MANAGERS_ONLY,
    "reviews:desk_review_submit": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:desk_review_reopen": Row(LOGIN, 404, 403, 403, 403, 403),
    "reviews:session_delete": PLANNERS,
    "reviews:evidence_delete": Row(LOGIN, 404, 403, 200, 200, 403),
    "reviews:report_finding_delete": TEAM_WRITES,
    "reviews:report_rec_delete": TEAM_WRITES,
    # The round is open and version 1 waits for approvals: the leader's pages say why not.
    "reviews:report_factual_open": Row(LOGIN, 404, 403, 403, 200, 403),
    "practices:reopen": Row(LOGIN, 404, 404, 403, 403, 403),
    "practices:publish": Row(LOGIN, 404, 404, 403, 403, 403),
    "practices:unpublish": Row(LOGIN, 404, 404, 403, 403, 403),
    "reviews:report_factual_close": Row(LOGIN, 404, 403, 403, 200, 403),
    "reviews:report_finalise": Row(LOGIN, 404, 403, 403, 200, 403),
    "reviews:report_freeze": NOBODY,
    "reviews:report_reopen": NOBODY,
    "reviews:report_publish": NOBODY,
    "reviews:report_share": NOBODY,
    "benchmarks:part_delete": DRAFT_EDIT,
    "benchmarks:publish": DRAFT_EDIT,
    "syntheses:statement_delete": PLANNERS,
    "syntheses:freeze": Row(LOGIN, 404, 403, 403, 403, 200),
    "syntheses:approve": Row(LOGIN, 404, 403, 403, 200, 403),
    "syntheses:publish": Row(LOGIN, 404, 403, 403, 403, 200),
    "syntheses:reopen": Row(LOGIN, 404, 403, 403, 403, 200),
}
DRAFT_URLS = {
    "benchmarks:part_add",
    "benchmarks:part_edit",
    "benchmarks:circulate",
    "benchmarks:part_delete",
    "benchmarks:part_move",
    "benchmarks:publish",
    "benchmarks:scale_edit",
    "benchmarks:approve",
    "benchmarks:comment",
}

# The admin is for coordinators; everybody else is sent to its sign-in page.
ADMIN_ROW = Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200)
ADMIN_NO_ADD = Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
ADMIN_EXCEPTIONS: dict[str, Row] = {
    "admin:logout": Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN, method="post"),
    # django-axes records sign-in attempts itself; nobody adds them by hand.
    "admin:axes_accessattempt_add": ADMIN_NO_ADD,
    "admin:axes_accesslog_add": ADMIN_NO_ADD,
    "admin:axes_accessfailurelog_add": ADMIN_NO_ADD,
    # django-two-factor-auth sends the admin's sign-in to ours, so it cannot skip the code.
    "admin:login": Row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "admin:view_on_site": Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "admin:autocomplete": Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403),
    "admin:password_change_done": ADMIN_ROW,
}
# Authenticator apps and recovery codes (django-otp): superusers only, e.g. for a lost phone.
OTP_ADMIN = Row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403)
ADMIN_EXCEPTIONS.update(
    {
        f"admin:{model}_{view}": OTP_ADMIN
        for model in ("otp_static_staticdevice", "otp_totp_totpdevice")
        for view in ("changelist", "add", "history", "delete", "change")
    }
)
ADMIN_EXCEPTIONS["admin:otp_totp_totpdevice_config"] = OTP_ADMIN
# E-mails are written by the app; nobody adds or edits one in the admin.
ADMIN_EXCEPTIONS["admin:mail_delivery_add"] = ADMIN_NO_ADD
# Task results (django-tasks-db, read-only): superusers only, like the devices above.
ADMIN_EXCEPTIONS.update(
    {
        f"admin:django_tasks_database_dbtaskresult_{view}": OTP_ADMIN
        for view in ("changelist", "add", "history", "delete", "change")
    }
)
ADMIN_EXCEPTIONS["admin:otp_totp_totpdevice_qrcode"] = OTP_ADMIN


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed>"), entry


def all_url_names() -> list[str]:
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.endswith("<unnamed>"):
            # Django's admin has unnamed redirects and a catch-all; every pattern of ours is named.
            assert name.startswith("admin:"), f"Give this URL pattern a name: {pattern}"
            continue
        if name not in names:
            names.append(name)
    return names


def row_for(name: str) -> Row | None:
    if name in MATRIX:
        return MATRIX[name]
    if name.startswith("admin:"):
        return ADMIN_EXCEPTIONS.get(name, ADMIN_ROW)
    return None


def test_every_url_has_a_row():
    missing = [name for name in all_url_names() if row_for(name) is None]
    assert missing == [], f"Add these URL names to the access matrix: {missing}"


def test_matrix_has_no_stale_rows():
    names = set(all_url_names())
    assert sorted(set(MATRIX) - names) == []


def _admin_model(name: str):
    app_model = name.split(":", 1)[1].replace("auth_user_", "cities_user_")
    for model in apps.get_models():
        if app_model.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    raise AssertionError(f"No model for admin URL {name}")


REVIEW_SAMPLES = {
    "member": lambda review: review.memberships.get(role="peer").pk,
    "session": lambda review, name: (
        (review.training_sessions if name == "reviews:training_edit" else review.visit_sessions)
        .first()
        .pk
    ),
    "key": lambda review: "features",
    "group": lambda review: review.indicators_in_scope().first().group_id,
    "person": lambda review: review.proposed_interviewees.first().pk,
    "file": lambda review: review.attachments.first().pk,
    "item": lambda review: review.information_requests.first().pk,
    "evidence": lambda review: review.evidence.first().pk,
    "indicator": lambda review: review.indicators_in_scope().first().pk,
    "fmt": lambda review: "xlsx",
    "conclusion": lambda review: review.conclusions.first().pk,
    "section": lambda review: review.feedback_report.sections.first().pk,
    "finding": lambda review: review.feedback_report.sections.first().findings.first().pk,
    "rec": lambda review: review.feedback_report.sections.first().recommendations.first().pk,
    "version": lambda review: review.feedback_report.versions.first().number,
    "comment": lambda review: review.feedback_report.factual_comments.first().pk,
    "programme": lambda review: review.programme_id,
    "city": lambda review: review.host_city_id,
    "training": lambda review: review.programme.training_sessions.first().pk,
    "chapter": lambda review: review.programme.comparative_report.chapters.first().pk,
    "statement": lambda review: (
        review.programme.comparative_report.chapters.first().statements.first().pk
    ),
    # Follow-up rows do not exist before publication; the permission check comes first.
    "response": lambda review: 1,
    "checkpoint": lambda review: 1,
}


def _url_for(name: str, review, versions=None) -> str:
    """The URL for `name`, with sample arguments that point at real rows."""
    pattern = _pattern(name)
    keys = set(pattern.pattern.regex.groupindex)
    if name.endswith("_simple_history"):  # positional: object id, history id
        obj = _admin_model(name)._default_manager.order_by("pk").first()
        return reverse(name, args=[obj.pk, obj.history.order_by("pk").first().history_id])
    kwargs: dict[str, object] = {}
    if name.startswith("benchmarks:"):
        published, draft = versions
        version = draft if name in DRAFT_URLS else published
        samples = {
            "slug": version.benchmark.slug,
            "number": version.number,
            "pk": version.indicators.order_by("pk").first().pk,
            "kind": "indicator",
            "direction": "up",
            "fmt": "xlsx",
        }
        if name == "benchmarks:scale_edit":
            samples["pk"] = version.ratingscales.order_by("pk").first().pk
        return reverse(name, kwargs={key: samples[key] for key in keys})
    if name.startswith("practices:"):
        samples = {"slug": review.practices.get().slug, "fmt": "csv"}
        return reverse(name, kwargs={key: samples[key] for key in keys})
    for key in keys:
        if key == "pk" and name == "reviews:notification":
            kwargs[key] = Notification.objects.get(review=review).pk
        elif key == "pk" and name in ("city", "city_edit"):
            kwargs[key] = review.host_city.pk
        elif key == "pk" and name == "person_city":
            kwargs[key] = review.memberships.order_by("pk").first().user_id
        elif key == "pk" and name.startswith("mail:"):
            kwargs[key] = Delivery.objects.order_by("pk").first().pk
        elif key == "pk" and name.startswith("jobs:"):
            kwargs[key] = Job.objects.get(kind="review_archive").pk
        elif key == "pk" and name.startswith("admin:"):
            kwargs[key] = _admin_model(name)._default_manager.order_by("pk").first().pk
        elif key == "pk":
            kwargs[key] = review.pk
        elif key == "number":
            kwargs[key] = review.current_step
        elif key in REVIEW_SAMPLES:
            sample = REVIEW_SAMPLES[key]
            kwargs[key] = sample(review, name) if key == "session" else sample(review)
        elif key == "uidb64":
            kwargs[key] = "MQ"
        elif key == "token":
            kwargs[key] = "set-password"
        elif key == "app_label":
            kwargs[key] = "reviews"
        elif key == "content_type_id":
            kwargs[key] = ContentType.objects.get_for_model(review).pk
        elif key == "object_id" and name == "admin:view_on_site":
            kwargs[key] = review.pk
        elif key in ("object_id", "id"):
            kwargs[key] = _admin_model(name)._default_manager.order_by("pk").first().pk
        else:
            raise AssertionError(f"No sample value for URL argument {key!r} in {name}")
    return reverse(name, kwargs=kwargs)


def _pattern(name: str) -> URLPattern:
    for found, pattern in _walk(get_resolver().url_patterns):
        if found == name:
            return pattern
    raise KeyError(name)


def _login_records() -> None:
    """One row of each django-axes model, so their admin pages have an object to show."""
    common = {"ip_address": "127.0.0.1", "user_agent": "test", "username": "someone@example.org"}
    AccessAttempt.objects.create(
        get_data="", post_data="", http_accept="", path_info="/", failures_since_start=1, **common
    )
    AccessLog.objects.create(http_accept="", path_info="/", **common)
    AccessFailureLog.objects.create(http_accept="", path_info="/", **common)


def _practice_record(review) -> None:
    """A draft practice from the review (as a published report's good practice makes one)."""
    from practices.models import Practice, Tag

    practice = Practice.objects.create(slug="sample-practice", title="Sample", review=review)
    practice.tags.add(Tag.objects.create(kind=Tag.KIND, code="sample", name="sample"))


def _comparative_record(review, people) -> None:
    """The programme's comparative report: its first chapter by the team leader, with a city
    example, and version 1 frozen for approval."""
    from syntheses.models import Statement, ensure_report
    from syntheses.services import assign_chapters, freeze_version

    report = ensure_report(review.programme)
    chapter = report.chapters.first()
    assign_chapters(report=report, chapters={chapter: people["team_leader"]})
    example = Statement.objects.create(chapter=chapter, kind=Statement.EXAMPLE, text="Sample")
    example.reviews.set([review])
    freeze_version(report=report, by=people["coordinator"])


def _two_factor_records() -> None:
    """Someone outside the cast with an authenticator app and recovery codes, so the admin's
    device pages have an object to show."""
    person = new_user(email="two-factor@example.org")
    TOTPDevice.objects.create(user=person, name="default", confirmed=True)
    issue_recovery_codes(person)


def _mail_records(person) -> None:
    """An e-mail sent and its task's result, so their pages have an object to show."""
    Delivery.objects.create(
        recipient=person, to=person.email, subject="Sample", body="B", status=Delivery.SENT
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="mail.delivery.deliver",
        backend_name="default",
        run_after=get_date_max(),
    )


def _job_record(person) -> None:
    """A finished job with a file to download, started by `person`."""
    job = Job.objects.create(
        kind="review_archive",
        started_by=person,
        status=Job.DONE,
        progress=100,
        result_name="archive.zip",
        result_type="application/zip",
    )
    job.result_file.save("result", ContentFile(b"PK\x05\x06" + b"\x00" * 18))


@dataclass
class World:
    cast: dict
    review: Review
    versions: tuple
    sessions: dict  # role -> session key of a signed-in session


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast, the review with a little of every step's work (its report frozen as
    version 1 and in its factual round), a benchmark with a draft and sign-in records:
    built once for the module, in a transaction rolled back at its end. Each case runs in
    a savepoint inside it (pytest-django's `db`), so what one case posts is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        host_city = new_city(name="Rotterdam", country="Netherlands")
        review = new_review(title="Review of Rotterdam", host_city=host_city, current_step=3)
        people = {key: new_cast_member(key, review) for key in ROLES if key != "anonymous"}
        build_review_work(
            review, host=people["host"], peer=people["peer"], team_leader=people["team_leader"]
        )
        build_report_draft(review, team_leader=people["team_leader"], host=people["host"])
        build_programme(review, peers=[people["peer"], people["team_leader"]])
        versions = build_benchmark_versions(people["peer"])
        _login_records()
        _practice_record(review)
        _comparative_record(review, people)
        _two_factor_records()
        _mail_records(people["peer"])
        _job_record(people["peer"])
        sessions = {}
        for key, person in people.items():
            signed_in = Client()
            signed_in.force_login(person, backend="cities.backends.EmailBackend")
            sessions[key] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        yield World({"anonymous": None, **people}, review, versions, sessions)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def no_pdf_rendering(monkeypatch):
    """The matrix checks who gets what; rendering is tested once per PDF elsewhere."""
    monkeypatch.setattr("reports.pdf.render_pdf", lambda html: b"%PDF-1.7 stub")


CASES = [(name, role) for name in all_url_names() for role in ROLES]
CONFIRMATION_CASES = [(name, role) for name in CONFIRMATIONS for role in ROLES]


def test_confirmation_pages_are_for_posts():
    assert sorted(n for n in CONFIRMATIONS if MATRIX[n].method != "post") == []


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_access(name, role, world, db, client):
    row = row_for(name)
    assert row is not None, f"{name} has no row in the access matrix"
    _check(name, row, role, world, client)


@pytest.mark.parametrize(
    ("name", "role"), CONFIRMATION_CASES, ids=[f"{n}-{r}-get" for n, r in CONFIRMATION_CASES]
)
def test_confirmation_page_access(name, role, world, db, client):
    _check(name, CONFIRMATIONS[name], role, world, client)


def _check(name, row, role, world, client):
    expected = getattr(row, role)
    review = Review.objects.get(pk=world.review.pk)
    url = _url_for(name, review, world.versions)
    if role in world.sessions:  # signed in once for the module; this case's changes roll back
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    data = {
        key.replace("{c}", str(review.conclusions.first().pk)) if "{c}" in key else key: value
        for key, value in row.data.items()
    }
    response = getattr(client, row.method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(reverse("login")), response["Location"]
    elif expected == REDIRECT:
        assert response.status_code in (301, 302), (url, response.status_code)
        assert not response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)
