"""Imports every package's models so that Alembic and create_all see the whole schema."""

from app.auth.models import AuthToken, RecoveryCode, SecondFactor, ThrottleEvent, User  # noqa: F401
from app.clientvoice.models import ClientFeedbackRequest, ClientRating  # noqa: F401
from app.coaching.models import CoachFeedback, FeedbackReply, FeedbackRequest  # noqa: F401
from app.db import Base  # noqa: F401
from app.elements import revision  # noqa: F401 - a technique change renews the catalogue revision
from app.elements.models import CoreElement, Technique  # noqa: F401
from app.goals.models import GoalComment, LearningGoal  # noqa: F401
from app.groups.models import GroupParticipant, GroupSession  # noqa: F401
from app.mail.models import OutboxEmail  # noqa: F401
from app.notifications.models import Notification, NotificationDigest  # noqa: F401
from app.observations.models import (  # noqa: F401
    Observation,
    ObservationComment,
    ObservationElement,
    ObservationTechnique,
)
from app.organisations.models import Organisation  # noqa: F401
from app.practice.models import (  # noqa: F401
    PracticeLog,
    PracticeLogElement,
    PracticeLogParticipant,
    PracticeLogTechnique,
)
from app.privacy.models import AccessLog  # noqa: F401
from app.prompts.models import Prompt, Schedule  # noqa: F401
from app.reflection.models import (  # noqa: F401
    Reflection,
    ReflectionDraft,
    ReflectionPreference,
    ReflectionSettings,
    ReflectionShare,
)
from app.retention.models import RetentionPeriod, RetentionRun  # noqa: F401
from app.teams.models import CoachAssignment, Membership, OrganisationRole, Team  # noqa: F401
