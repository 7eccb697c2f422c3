"""A review cycle and what its steps produce, one module per step."""

from reviews.models.attachments import Attachment, HeldUpload  # noqa: F401
from reviews.models.conclusions import (  # noqa: F401
    ConclusionVote,
    KeyConclusion,
    PreliminaryFeedback,
)
from reviews.models.desk_review import (  # noqa: F401
    ConsolidatedEntry,
    DeskReview,
    DeskReviewEntry,
    InformationRequest,
)
from reviews.models.events import Notification, ReviewEvent  # noqa: F401
from reviews.models.evidence import Evidence, IndicatorEvaluation  # noqa: F401
from reviews.models.feedback_report import (  # noqa: F401
    FactualComment,
    FeedbackReport,
    Finding,
    Recommendation,
    ReportApproval,
    ReportSection,
    ReportVersion,
)
from reviews.models.follow_up import HostResponse, ProgressUpdate  # noqa: F401
from reviews.models.inception import (  # noqa: F401
    BackgroundSection,
    InceptionReport,
    ProposedInterviewee,
    SelfAssessment,
)
from reviews.models.privacy import PrivacySettings  # noqa: F401
from reviews.models.programme import Programme  # noqa: F401
from reviews.models.reminders import Reminder  # noqa: F401
from reviews.models.review import Membership, Review  # noqa: F401
from reviews.models.team import TrainingSession  # noqa: F401
from reviews.models.visit import VisitSession  # noqa: F401
