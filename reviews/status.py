"""The state of each of a review's seven steps, read from what the review holds.

One function decides it (`progress_of` / `progress_of_many`); the review page, each step's
page, the dashboards, the "Next" box and the confirmation before moving a review on all
read it. A step is done when its work is in the data, whatever step the coordinator has
moved the review to:

1. a published benchmark version is chosen;
2. the team has a leader and the method's four peers (METHOD.md: teams of four city
   representatives, one of whom leads), the host city has a member, and every peer and
   host member attended a recorded training session (the review's own, or a joint training
   of its programme);
3. the host city submitted its inception report;
4. every peer submitted a desk review;
5. the visit took place: sessions are planned and the last one has ended;
6. the team rated every indicator in scope;
7. the feedback report is published; from then on the step shows the follow-up (the host
   city's responses, the next progress update, actions overdue).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reviews.steps import (
    COORDINATOR,
    HOST,
    LAST_STEP,
    PEER,
    ROLE_LABELS,
    STEPS,
    TEAM_LEADER,
    TEAM_ROLES,
    Step,
)

# INTI-CITIES: "peer review teams of four representatives of cities" (001, ~l.103).
TEAM_SIZE = 4

STATE_LABELS = {
    "done": gettext_lazy("Done"),
    "current": gettext_lazy("In progress"),
    "incomplete": gettext_lazy("Moved on, incomplete"),
    "upcoming": gettext_lazy("Not started"),
    "published": gettext_lazy("Published"),
}


@dataclass
class StepState:
    step: Step
    state: str  # one of STATE_LABELS
    lacks: list[str]
    due: datetime.date | None
    overdue: bool
    detail: str = ""  # what the data says when there is nothing missing

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_done(self) -> bool:
        return not self.lacks


@dataclass
class FollowUp:
    """Step 7 after publication: how the host city follows the report up."""

    published_on: datetime.date
    recommendations: int
    answered: int
    next_update: datetime.date | None
    updates_missing: int
    actions_overdue: int

    @property
    def unanswered(self) -> int:
        return self.recommendations - self.answered

    def sentences(self) -> list[str]:
        said = [
            _("Published on %(date)s.") % {"date": _date(self.published_on)},
            ngettext(
                "%(answered)s of %(n)s recommendation answered by the host city.",
                "%(answered)s of %(n)s recommendations answered by the host city.",
                self.recommendations,
            )
            % {"answered": self.answered, "n": self.recommendations},
        ]
        if self.next_update:
            said.append(
                _("Next progress update due on %(date)s.") % {"date": _date(self.next_update)}
            )
        if self.updates_missing:
            said.append(
                ngettext(
                    "%(n)s progress update is late.",
                    "%(n)s progress updates are late.",
                    self.updates_missing,
                )
                % {"n": self.updates_missing}
            )
        if self.actions_overdue:
            said.append(
                ngettext(
                    "%(n)s action is overdue.", "%(n)s actions are overdue.", self.actions_overdue
                )
                % {"n": self.actions_overdue}
            )
        return said


@dataclass
class NextAction:
    text: str
    url: str


@dataclass
class ReviewProgress:
    review: object
    today: datetime.date
    steps: list[StepState]
    follow_up: FollowUp | None = None
    # Facts the "Next" box needs, read once with the states.
    facts: dict = field(default_factory=dict)

    def step(self, number: int) -> StepState:
        return self.steps[number - 1]

    @property
    def current(self) -> StepState:
        return self.step(self.review.current_step)

    @property
    def overdue(self) -> bool:
        return self.current.overdue

    def next_for(self, user, role: str | None) -> NextAction:
        return _next_action(self, user, role)

    def who_acts(self) -> Acting:
        return _who_acts(self)


@dataclass
class Acting:
    """Who must act now on a review: a role, and the people holding it (empty: nobody named
    on the review, e.g. the network's coordinators). `role` is empty when nobody must act."""

    role: str
    people: list

    @property
    def names(self) -> str:
        return _names(self.people)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _names(users) -> str:
    return ", ".join(sorted(u.name for u in users))


# --- reading the data ------------------------------------------------------------------------


def _count(queryset):
    """A correlated subquery counting `queryset`'s rows (one value per outer row)."""
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(cf_n=Func(F("pk"), function="COUNT")).values("cf_n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _review_counts() -> dict:
    """What `_progress` counts over a review's rows, as annotations of the review's own row:
    reading these for many reviews costs no query and no model instance per row."""
    from benchmarks.models import Indicator
    from reviews.models import (
        IndicatorEvaluation,
        InformationRequest,
        KeyConclusion,
        Review,
        TrainingSession,
        VisitSession,
    )

    scope = Review.scope.through.objects.filter(review_id=OuterRef("pk"))
    rated = IndicatorEvaluation.objects.filter(review_id=OuterRef("pk"), rating__isnull=False)
    visit = VisitSession.objects.filter(review_id=OuterRef("pk")).order_by()
    return {
        "cf_has_training": Exists(
            TrainingSession.objects.filter(
                Q(review_id=OuterRef("pk")) | Q(programme_id=OuterRef("programme_id"))
            )
        ),
        "cf_open_requests": _count(
            InformationRequest.objects.filter(review_id=OuterRef("pk"), answered_at__isnull=True)
        ),
        "cf_visit_sessions": _count(visit),
        "cf_visit_ends": Subquery(
            visit.annotate(cf_last=Func(F("ends_at"), function="MAX")).values("cf_last"),
            output_field=DateTimeField(),
        ),
        "cf_scope": _count(scope),
        "cf_version_indicators": _count(
            Indicator.objects.filter(version_id=OuterRef("benchmark_version_id"))
        ),
        "cf_rated_in_scope": _count(
            rated.filter(
                Exists(
                    Review.scope.through.objects.filter(
                        review_id=OuterRef(OuterRef("pk")), indicator_id=OuterRef("indicator_id")
                    )
                )
            )
        ),
        "cf_rated_in_version": _count(
            rated.filter(indicator__version_id=OuterRef("benchmark_version_id"))
        ),
        "cf_has_conclusions": Exists(KeyConclusion.objects.filter(review_id=OuterRef("pk"))),
    }


def _members_with_facts():
    """Each membership with its person and what `_progress` asks about them: trained (at a
    session of the review or a joint one of its programme), desk review submitted, and
    whether a key conclusion of the review lacks their agreement."""
    from reviews.models import (
        ConclusionVote,
        DeskReview,
        KeyConclusion,
        Membership,
        TrainingSession,
    )

    review = OuterRef("review_id")
    attended = TrainingSession.attendees.through.objects.filter(user_id=OuterRef("user_id"))
    return Membership.objects.select_related("user").annotate(
        cf_trained=Exists(
            attended.filter(
                Q(trainingsession__review_id=review)
                | Q(trainingsession__programme_id=OuterRef("review__programme_id"))
            )
        ),
        cf_desk_submitted=Exists(
            DeskReview.objects.filter(
                review_id=review, peer_id=OuterRef("user_id"), submitted_at__isnull=False
            )
        ),
        cf_not_agreed=Exists(
            KeyConclusion.objects.filter(review_id=review).filter(
                ~Exists(
                    ConclusionVote.objects.filter(
                        conclusion_id=OuterRef("pk"),
                        peer_id=OuterRef(OuterRef("user_id")),
                        agrees=True,
                    )
                )
            )
        ),
    )


def with_progress(queryset):
    """The review rows as `progress_of_many` reads them, in a fixed number of queries: the
    review with its counts (`_review_counts`), its memberships with their people's facts,
    and its report's versions."""
    return (
        queryset.select_related(
            "host_city",
            "benchmark_version__benchmark",
            "inception_report",
            "feedback_report",
            "programme",
        )
        .annotate(**_review_counts())
        .prefetch_related(
            Prefetch("memberships", queryset=_members_with_facts()),
            "feedback_report__versions__approvals",
        )
    )


def progress_of(review, today: datetime.date | None = None) -> ReviewProgress:
    """One review's progress (read again with every relation it needs, in a few queries)."""
    fresh = with_progress(type(review).objects.filter(pk=review.pk))
    return progress_of_many(fresh, today)[review.pk]


def progress_of_many(reviews, today: datetime.date | None = None) -> dict[int, ReviewProgress]:
    """Each review's progress, by pk; `reviews` come from `with_progress`."""
    today = today or timezone.localdate()
    reviews = list(reviews)
    follow_ups = _follow_ups(reviews, today)
    return {r.pk: _progress(r, today, follow_ups.get(r.pk)) for r in reviews}


def _report(review):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return review.feedback_report
    except ObjectDoesNotExist:
        return None


def _follow_ups(reviews, today) -> dict[int, FollowUp]:
    from reviews.models.feedback_report import checkpoint_dates
    from reviews.services.follow_up import plan_rows

    reports = [r for r in (_report(review) for review in reviews) if r and r.published_at]
    if not reports:
        return {}
    rows = plan_rows(reports, today)
    result = {}
    for report in reports:
        mine = rows[report.pk]
        dates = [d for d in checkpoint_dates(report).values() if d and d >= today]
        committed = [row for row in mine if row.committed]
        result[report.review_id] = FollowUp(
            published_on=timezone.localdate(report.published_at),
            recommendations=len(mine),
            answered=sum(row.response is not None for row in mine),
            next_update=min(dates) if dates and committed else None,
            updates_missing=sum(c.missing for row in committed for c in row.checkpoints),
            actions_overdue=sum(row.overdue for row in mine),
        )
    return result


# --- deciding each step ----------------------------------------------------------------------
# One function per step: it reads the review (as `with_progress` gives it) and the facts
# gathered so far, adds the facts the "Next" box needs, and says what the step lacks and,
# when nothing, what the data shows.

Check = tuple[list[str], str]  # (what the step lacks, what the data says when nothing)


def _step_1_benchmark(review, facts: dict) -> Check:
    version = review.benchmark_version
    if version is None or not version.is_published:
        return [_("No published benchmark version is chosen for this review.")], ""
    return [], _("This review uses %(version)s, a published version.") % {"version": version}


def _step_2_team(review, facts: dict) -> Check:
    team, hosts = facts["team"], facts["hosts"]
    lacks = []
    if not facts["leaders"]:
        lacks.append(_("No team leader is appointed."))
    if len(team) < TEAM_SIZE:
        lacks.append(_team_size_sentence(len(team)))
    if not hosts:
        lacks.append(_("Nobody of the host city is on the review yet."))
    trained = {m.user_id for m in review.memberships.all() if m.cf_trained}
    untrained = [u for u in team + hosts if u.pk not in trained]
    if not review.cf_has_training:
        lacks.append(_("No training session is recorded."))
    elif untrained:
        lacks.append(_("Not recorded as trained: %(names)s.") % {"names": _names(untrained)})
    facts["untrained"] = not review.cf_has_training or bool(untrained)
    return lacks, ""


def _step_3_inception(review, facts: dict) -> Check:
    inception = review.inception_report
    if not inception.is_submitted:
        return [_("The host city has not submitted its inception report.")], ""
    if inception.submitted_at:
        return [], _("Submitted on %(date)s.") % {
            "date": _date(timezone.localdate(inception.submitted_at))
        }
    return [], ""


def _step_4_desk_reviews(review, facts: dict) -> Check:
    team = facts["team"]
    submitted = {m.user_id for m in review.memberships.all() if m.cf_desk_submitted}
    pending = [u for u in team if u.pk not in submitted]
    facts["desk_submitted"] = submitted
    facts["desk_pending"] = pending
    facts["open_requests"] = review.cf_open_requests
    if not team:
        return [_("The review has no peers to write desk reviews.")], ""
    if pending:
        return [_("Desk reviews not submitted yet: %(names)s.") % {"names": _names(pending)}], ""
    return [], ngettext(
        "%(n)s desk review submitted.", "All %(n)s desk reviews submitted.", len(team)
    ) % {"n": len(team)}


def _step_5_visit(review, facts: dict) -> Check:
    held = review.cf_visit_sessions
    facts["visit_sessions"] = held
    if not held:
        return [_("No visit session is planned.")], ""
    last = review.cf_visit_ends
    if last > timezone.now():
        return [
            _("The visit has not taken place yet: its last session ends on %(date)s.")
            % {"date": _date(timezone.localdate(last))}
        ], ""
    return [], ngettext("%(n)s session held.", "%(n)s sessions held.", held) % {"n": held}


def _step_6_evaluation(review, facts: dict) -> Check:
    # The scope, or every indicator of the version when the review has no scope.
    if review.cf_scope:
        in_scope, rated = review.cf_scope, review.cf_rated_in_scope
    elif review.benchmark_version_id is not None:
        in_scope, rated = review.cf_version_indicators, review.cf_rated_in_version
    else:
        in_scope, rated = 0, 0
    facts["unrated"] = in_scope - rated
    facts["in_scope"] = in_scope
    if not in_scope:
        return [_("The review has no indicators to evaluate.")], ""
    if rated != in_scope:
        return [
            ngettext(
                "The team has rated %(done)s of %(n)s indicator.",
                "The team has rated %(done)s of %(n)s indicators.",
                in_scope,
            )
            % {"done": rated, "n": in_scope}
        ], ""
    return [], ngettext(
        "The team rated the %(n)s indicator in scope.",
        "The team rated all %(n)s indicators in scope.",
        in_scope,
    ) % {"n": in_scope}


def _step_7_report(review, facts: dict) -> Check:
    team_members = [m for m in review.memberships.all() if m.role in TEAM_ROLES]
    locked = (
        review.cf_has_conclusions
        and bool(team_members)
        and not any(m.cf_not_agreed for m in team_members)
    )
    report = _report(review)
    versions = sorted(report.versions.all(), key=lambda v: -v.number) if report else []
    latest = versions[0] if versions else None
    facts["conclusions_locked"] = locked
    facts["report"] = report
    facts["pending_version"] = latest if latest and latest.state == "frozen" else None
    facts["final"] = bool(latest and latest.state == "final")
    facts["published"] = bool(report and report.published_at)
    facts["factual_open"] = bool(report and report.factual_round_open)
    lacks = []
    if not facts["published"]:
        if not locked:
            lacks.append(_("The team has not agreed its key conclusions yet."))
        if not facts["final"]:
            lacks.append(_("The feedback report has no final version yet."))
        lacks.append(_("The feedback report is not published."))
    return lacks, ""


_STEP_CHECKS = {
    1: _step_1_benchmark,
    2: _step_2_team,
    3: _step_3_inception,
    4: _step_4_desk_reviews,
    5: _step_5_visit,
    6: _step_6_evaluation,
    7: _step_7_report,
}


def _state(review, step: Step, lacks: list[str], published: bool) -> str:
    if step.number == LAST_STEP and published:
        return "published"
    if not lacks:
        return "done"
    if step.number < review.current_step:
        return "incomplete"
    if step.number == review.current_step:
        return "current"
    return "upcoming"


def _progress(review, today, follow_up) -> ReviewProgress:
    members = list(review.memberships.all())
    facts: dict = {
        "team": [m.user for m in members if m.role in TEAM_ROLES],
        "leaders": [m.user for m in members if m.role == TEAM_LEADER],
        "hosts": [m.user for m in members if m.role == HOST],
    }
    checked = {number: check(review, facts) for number, check in _STEP_CHECKS.items()}
    steps = []
    for step in STEPS:
        lacks, detail = checked[step.number]
        due = getattr(review, step.due_field) if step.due_field else None
        state = _state(review, step, lacks, facts["published"])
        overdue = state == "current" and due is not None and due < today
        steps.append(StepState(step, state, lacks, due, overdue, detail))
    return ReviewProgress(review, today, steps, follow_up, facts)


def _team_size_sentence(n: int) -> str:
    return ngettext(
        "The team has %(n)s peer, the team leader included; the method's teams have four "
        "peers from other cities, one of whom leads.",
        "The team has %(n)s peers, the team leader included; the method's teams have four "
        "peers from other cities, one of whom leads.",
        n,
    ) % {"n": n}


def team_warnings(review) -> list[str]:
    """What the method advises against in the team as it stands (shown, not refused)."""
    members = list(review.memberships.select_related("user__city"))
    team = [m for m in members if m.role in TEAM_ROLES]
    warnings = []
    if not any(m.role == TEAM_LEADER for m in members):
        warnings.append(_("The team has no team leader yet."))
    if len(team) < TEAM_SIZE:
        warnings.append(_team_size_sentence(len(team)))
    cities: dict[int, list[str]] = {}
    for m in team:
        if m.user.city_id:
            cities.setdefault(m.user.city_id, []).append(m.user.name)
    for names in cities.values():
        if len(names) > 1:
            warnings.append(
                _("%(names)s come from the same city.") % {"names": " & ".join(sorted(names))}
            )
    return warnings


# --- who must act now --------------------------------------------------------------------


def _who_acts(progress: ReviewProgress) -> Acting:
    """Who the current step waits for, read from the same facts as the "Next" box."""
    review, facts, current = progress.review, progress.facts, progress.current
    number = current.step.number
    coordinators = [m.user for m in review.memberships.all() if m.role == COORDINATOR]

    def acting(role: str, people) -> Acting:
        return Acting(str(ROLE_LABELS[role]), list(people))

    if current.is_done and number < LAST_STEP:
        return acting(COORDINATOR, coordinators)  # to move the review on
    if number in (1, 2):
        return acting(COORDINATOR, coordinators)
    if number == 3:
        return acting(HOST, facts["hosts"])
    if number == 4:
        return Acting(_("Peers"), facts["desk_pending"])
    if number == 5:
        return acting(TEAM_LEADER, facts["leaders"])
    if number == 6:
        return Acting(_("Team"), facts["team"])
    follow_up = progress.follow_up
    if facts["published"]:
        if follow_up and (follow_up.unanswered or follow_up.updates_missing):
            return acting(HOST, facts["hosts"])
        return Acting("", [])
    if facts["final"]:
        return acting(TEAM_LEADER, facts["leaders"])
    if facts["factual_open"]:
        return acting(HOST, facts["hosts"])
    return Acting(_("Team"), facts["team"])


# --- what this person does next --------------------------------------------------------------


def _next_action(progress: ReviewProgress, user, role: str | None) -> NextAction:
    """What this person does next, by the current step (each step's own function)."""
    review = progress.review
    pk = review.pk
    current = progress.current

    def to(name: str) -> str:
        return reverse(name, args=[pk])

    def step_page(n: int) -> str:
        return reverse("reviews:step", args=[pk, n])

    if role is None and getattr(user, "is_coordinator", False):
        role = COORDINATOR
    number = current.step.number
    manages = role == COORDINATOR

    if manages and current.is_done and number < LAST_STEP:
        following = STEPS[number]
        return NextAction(
            _("Step %(n)s is complete: move the review on to step %(next)s, %(name)s.")
            % {"n": number, "next": following.number, "name": following.name},
            to("reviews:advance"),
        )

    step = _NEXT_IN_STEP.get(number, _next_in_step_7)
    return step(progress, user, role, to, step_page)


def _next_in_step_1(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    manages = role == COORDINATOR
    if manages:
        return NextAction(
            _("Choose a published benchmark version for this review."), to("reviews:edit")
        )
    return NextAction(
        _("Nothing for you yet: the coordinator is choosing the benchmark for this review."),
        step_page(1),
    )


def _next_in_step_2(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    facts = progress.facts
    manages = role == COORDINATOR
    if manages:
        if not facts["leaders"]:
            return NextAction(_("Appoint a team leader on the team page."), to("reviews:team"))
        if len(facts["team"]) < TEAM_SIZE:
            return NextAction(
                ngettext(
                    "Add peers on the team page: the team has %(n)s peer of the four the "
                    "method advises.",
                    "Add peers on the team page: the team has %(n)s peers of the four the "
                    "method advises.",
                    len(facts["team"]),
                )
                % {"n": len(facts["team"])},
                to("reviews:team"),
            )
        if not facts["hosts"]:
            return NextAction(_("Add the host city's people on the team page."), to("reviews:team"))
        return NextAction(
            _("Record the training of the team and the host city."), to("reviews:training_add")
        )
    return NextAction(
        _("Nothing for you now: the coordinator is forming the team and recording the training."),
        to("reviews:team"),
    )


def _next_in_step_3(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    current = progress.current
    manages = role == COORDINATOR
    if role == HOST and not current.is_done:
        return NextAction(_("Write and submit the inception report."), to("reviews:inception"))
    if manages:
        return NextAction(
            _("Follow the host city's inception report; the host city submits it."),
            to("reviews:inception"),
        )
    if role == HOST:
        return _waiting_for_coordinator(step_page(3))
    return NextAction(
        _("Nothing for you now: the host city is writing its inception report."), step_page(3)
    )


def _next_in_step_4(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    facts = progress.facts
    pending = facts["desk_pending"]
    if role in TEAM_ROLES:
        if user.pk not in facts["desk_submitted"]:
            return NextAction(_("Write and submit your desk review."), to("reviews:desk_review"))
        if role == TEAM_LEADER:
            return NextAction(
                _("Record the team's consolidated view from the desk reviews."),
                to("reviews:desk_review"),
            )
        if pending:
            return NextAction(
                ngettext(
                    "Nothing for you now: %(n)s desk review of the team is not submitted yet.",
                    "Nothing for you now: %(n)s desk reviews of the team are not submitted yet.",
                    len(pending),
                )
                % {"n": len(pending)},
                to("reviews:desk_review"),
            )
        return NextAction(
            _("Nothing for you now: every desk review is in; the team prepares the visit."),
            to("reviews:desk_review"),
        )
    if role == HOST:
        if facts["open_requests"]:
            return NextAction(
                ngettext(
                    "Answer the %(n)s information request the team sent you.",
                    "Answer the %(n)s information requests the team sent you.",
                    facts["open_requests"],
                )
                % {"n": facts["open_requests"]},
                to("reviews:requests"),
            )
        return NextAction(
            _("Nothing for you now: the peers are writing their desk reviews."), step_page(4)
        )
    return NextAction(
        ngettext(
            "Follow the desk reviews: %(n)s of the team is not submitted yet.",
            "Follow the desk reviews: %(n)s of the team are not submitted yet.",
            len(pending),
        )
        % {"n": len(pending)},
        to("reviews:desk_review"),
    )


def _next_in_step_5(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    facts = progress.facts
    if role == TEAM_LEADER:
        if not facts["visit_sessions"]:
            return NextAction(_("Plan the visit timetable."), to("reviews:planner"))
        return NextAction(
            _("Lead the visit: keep the timetable up to date."), to("reviews:planner")
        )
    if role == PEER:
        return NextAction(
            _("Hold your interviews: see your visit schedule."), to("reviews:schedule")
        )
    if role == HOST:
        return NextAction(
            _("See the visit timetable and arrange the meetings with the people in it."),
            to("reviews:planner"),
        )
    return NextAction(_("Follow the visit on its timetable."), to("reviews:planner"))


def _next_in_step_6(progress: ReviewProgress, user, role, to, step_page) -> NextAction:
    facts = progress.facts
    if role == TEAM_LEADER:
        return NextAction(
            ngettext(
                "Rate the indicators from the evidence: %(n)s is not rated yet.",
                "Rate the indicators from the evidence: %(n)s are not rated yet.",
                facts["unrated"],
            )
            % {"n": facts["unrated"]},
            to("reviews:evidence_overview"),
        )
    if role == PEER:
        return NextAction(
            _("Record the evidence from your interviews."), to("reviews:evidence_add")
        )
    if role == HOST:
        return NextAction(
            _("Nothing for you now: the team is evaluating the evidence."), step_page(6)
        )
    return NextAction(
        _("Follow the team's evaluation of the evidence."), to("reviews:evidence_overview")
    )


_NEXT_IN_STEP = {
    1: _next_in_step_1,
    2: _next_in_step_2,
    3: _next_in_step_3,
    4: _next_in_step_4,
    5: _next_in_step_5,
    6: _next_in_step_6,
}


def _waiting_for_coordinator(url: str) -> NextAction:
    return NextAction(
        _("Nothing for you now: the coordinator moves the review on to the next step."), url
    )


def _next_in_step_7(progress, user, role, to, step_page) -> NextAction:
    facts = progress.facts
    follow_up = progress.follow_up
    if facts["published"] and follow_up is not None:
        if role == HOST:
            if follow_up.unanswered:
                return NextAction(
                    ngettext(
                        "Respond to the recommendations: %(n)s is not answered yet.",
                        "Respond to the recommendations: %(n)s are not answered yet.",
                        follow_up.unanswered,
                    )
                    % {"n": follow_up.unanswered},
                    to("reviews:responses"),
                )
            if follow_up.updates_missing:
                return NextAction(
                    _("Report progress on your commitments: an update is late."),
                    to("reviews:action_plan"),
                )
            if follow_up.next_update:
                return NextAction(
                    _("Report progress on your commitments by %(date)s.")
                    % {"date": _date(follow_up.next_update)},
                    to("reviews:action_plan"),
                )
            return NextAction(
                _("Nothing for you now: every recommendation has its answer."),
                to("reviews:action_plan"),
            )
        if role == COORDINATOR and (follow_up.actions_overdue or follow_up.updates_missing):
            return NextAction(
                _(
                    "Follow up with the host city: its action plan has late updates or overdue actions."
                ),
                to("reviews:action_plan"),
            )
        return NextAction(
            _("Nothing for you now: the report is published and the host city follows it up."),
            to("reviews:action_plan"),
        )
    if facts["final"]:
        if role in (TEAM_LEADER, COORDINATOR):
            return NextAction(_("Publish the final report."), to("reviews:report_final"))
        return NextAction(
            _("Nothing for you now: the report is final and waits to be published."),
            step_page(7),
        )
    if role == HOST:
        if facts["factual_open"]:
            return NextAction(
                _("Check the feedback report for factual errors."), to("reviews:report_factual")
            )
        return NextAction(
            _("Nothing for you now: the team is writing the feedback report."), step_page(7)
        )
    if role in TEAM_ROLES:
        if not facts["conclusions_locked"]:
            if role == TEAM_LEADER:
                return NextAction(
                    _("Draft the key conclusions and have every peer agree to them."),
                    to("reviews:conclusions"),
                )
            return NextAction(
                _("Agree or dissent on the key conclusions."), to("reviews:conclusions")
            )
        pending = facts["pending_version"]
        if pending is not None and not any(a.peer_id == user.pk for a in pending.approvals.all()):
            return NextAction(
                _("Approve or comment on version %(n)s of the feedback report.")
                % {"n": pending.number},
                to("reviews:report"),
            )
        if facts["factual_open"]:
            return NextAction(
                _("Answer the host city's factual comments on the report."),
                to("reviews:report_factual"),
            )
        if role == TEAM_LEADER:
            return NextAction(
                _("Finish the feedback report with the team, then freeze a version for approval."),
                to("reviews:report"),
            )
        return NextAction(_("Write your sections of the feedback report."), to("reviews:report"))
    return NextAction(_("Follow the feedback report."), to("reviews:report"))
