"""The seven steps of the peer review method (METHOD.md, Part A "Stappenplan")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COORDINATOR = "coordinator"
TEAM_LEADER = "team_leader"
PEER = "peer"
HOST = "host"
# The review team of the method: peers from other cities, one of whom leads it.
TEAM_ROLES = (TEAM_LEADER, PEER)

ROLE_CHOICES = [
    (COORDINATOR, _("Coordinator")),
    (TEAM_LEADER, _("Team leader")),
    (PEER, _("Peer")),
    (HOST, _("Host city")),
]
ROLE_LABELS = dict(ROLE_CHOICES)


@dataclass(frozen=True)
class Step:
    number: int
    name: Promise
    summary: Promise
    actors: tuple[str, ...]
    action: Promise
    due_field: str | None
    # Pages of this step: (url name, label, permission needed to open it).
    pages: tuple[tuple[str, Promise, str], ...] = ()
    # What of this step is not in Critical Friend yet, said plainly on its page.
    missing: Promise | None = None

    @property
    def built(self) -> bool:
        return bool(self.pages)

    @property
    def actor_labels(self) -> list[str]:
        return [str(ROLE_LABELS[a]) for a in self.actors]


STEPS: tuple[Step, ...] = (
    Step(
        1,
        _("Benchmark and indicators"),
        _("The peers agree the focus, the standards and the indicators; all peers approve them."),
        (COORDINATOR, TEAM_LEADER, PEER),
        _("Agree the benchmark and its indicators"),
        None,
    ),
    Step(
        2,
        _("Team and training"),
        _("Teams are formed, a team leader is appointed, peers and host cities are trained."),
        (COORDINATOR,),
        _("Form the team and record the training"),
        "training_date",
        (("reviews:team", _("Team and training"), "reviews.see_team"),),
    ),
    Step(
        3,
        _("Inception report"),
        _("The host city describes its background and rates itself on every indicator."),
        (HOST,),
        _("Write and submit the inception report"),
        "inception_due",
        (
            ("reviews:inception", _("Inception report"), "reviews.see_inception"),
            ("reviews:inception_read", _("Read the whole report"), "reviews.see_inception"),
            ("reviews:interviewees", _("Proposed interviewees"), "reviews.see_inception"),
        ),
    ),
    Step(
        4,
        _("Desk review"),
        _(
            "Each peer reads the inception report and records performance, hypotheses and questions."
        ),
        (TEAM_LEADER, PEER),
        _("Write your desk review"),
        "visit_start",
        (
            ("reviews:desk_review", _("Desk review"), "reviews.see_desk_progress"),
            ("reviews:requests", _("Information requests"), "reviews.see_requests"),
            ("reviews:inception_read", _("Read the inception report"), "reviews.see_inception"),
        ),
    ),
    Step(
        5,
        _("Site visit"),
        _("The team visits the city: interviews with two peers each, workshops, a first feedback."),
        (TEAM_LEADER, PEER),
        _("Plan and hold the interviews"),
        "visit_end",
        (
            ("reviews:planner", _("Visit timetable"), "reviews.see_visit"),
            ("reviews:schedule", _("My schedule"), "reviews.see_briefs"),
            ("reviews:evidence_add", _("Record evidence"), "reviews.record_evidence"),
        ),
    ),
    Step(
        6,
        _("Evaluation of evidence"),
        _("Evidence is coded to indicators and colour-coded; a finding needs two interviews."),
        (TEAM_LEADER, PEER),
        _("Record and evaluate the evidence"),
        "visit_end",
        (
            ("reviews:evidence_add", _("Record evidence"), "reviews.record_evidence"),
            ("reviews:evidence", _("Evidence"), "reviews.see_evidence"),
            ("reviews:evidence_overview", _("Evidence overview"), "reviews.see_evidence"),
        ),
    ),
    Step(
        7,
        _("Feedback report"),
        _("The team writes and approves the report; the host city commits to act."),
        (TEAM_LEADER, PEER, HOST),
        _("Write, approve and respond to the report"),
        "report_due",
        (
            ("reviews:conclusions", _("Key conclusions on site"), "reviews.see_conclusions"),
            ("reviews:report", _("Feedback report"), "reviews.see_report_draft"),
            ("reviews:report_factual", _("Factual-accuracy round"), "reviews.see_factual_round"),
            ("reviews:report_final", _("Final report"), "reviews.see_final_report"),
            (
                "reviews:responses",
                _("Response to the recommendations"),
                "reviews.respond_to_report",
            ),
            ("reviews:action_plan", _("Action plan"), "reviews.see_action_plan"),
        ),
    ),
)
STEP_NUMBERS = [s.number for s in STEPS]
FIRST_STEP, LAST_STEP = STEPS[0].number, STEPS[-1].number


def get_step(number: int) -> Step:
    for step in STEPS:
        if step.number == number:
            return step
    raise KeyError(number)
