"""Forms of a review, one module per step (as models/ and views/). Layout only in crispy
helpers (core.forms); validation lives on models."""

from reviews.forms.conclusions import (  # noqa: F401
    ConclusionForm,
    FeedbackForm,
    VoteForm,
)
from reviews.forms.desk_review import (  # noqa: F401
    ConsolidatedForm,
    DeskReviewEntryForm,
    InformationRequestForm,
    RequestAnswerForm,
    people_choices,
)
from reviews.forms.evidence import (  # noqa: F401
    EvaluationForm,
    EvidenceForm,
)
from reviews.forms.feedback_report import (  # noqa: F401
    ApprovalForm,
    AssignForm,
    EvidenceChoice,
    FactualAnswerForm,
    FactualCommentForm,
    FindingForm,
    PresentationForm,
    RecommendationForm,
    ReportSectionForm,
    SummaryForm,
)
from reviews.forms.follow_up import (  # noqa: F401
    CheckpointsForm,
    HostResponseForm,
    ProgressUpdateForm,
)
from reviews.forms.inception import (  # noqa: F401
    BackgroundSectionForm,
    IntervieweeForm,
    ProvenanceForm,
    ReopenForm,
    SelfAssessmentForm,
    rating_choices,
)
from reviews.forms.review import (  # noqa: F401
    ReviewForm,
    ScopeForm,
)
from reviews.forms.team import (  # noqa: F401
    MemberForm,
    TrainingSessionForm,
)
from reviews.forms.visit import (  # noqa: F401
    SessionForm,
    VisitSettingsForm,
)
