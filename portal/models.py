"""Imports every model so that the metadata (migrations, create_all) knows all tables."""

from portal.accounts.models import User  # noqa: F401
from portal.audit import AuditEntry  # noqa: F401
from portal.calendar import CalendarDay, CalendarYear  # noqa: F401
from portal.committees.models import (  # noqa: F401
    Committee,
    CommitteeSeat,
    CommitteeTie,
    Motion,
    MotionVoter,
    Vote,
)
from portal.complaints.models import (  # noqa: F401
    Complaint,
    ComplaintCounter,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintMaterial,
    ComplaintPanelMember,
    ComplaintPause,
    ComplaintResponse,
)
from portal.discipline.models import (  # noqa: F401
    Appeal,
    BreachReport,
    CaseEvidence,
    Decision,
    DecisionCounter,
    DisciplineCase,
)
from portal.inspections.models import (  # noqa: F401
    Inspection,
    InspectionAssignment,
    InspectionDraw,
    Inspector,
)
from portal.mail import OutboxMessage  # noqa: F401
from portal.mediation.models import (  # noqa: F401
    MediationCase,
    MediationDocument,
    MediationEvent,
    MediationPanelSeat,
    MediationSession,
)
from portal.members.models import (  # noqa: F401
    Application,
    ApplicationDocument,
    Credential,
    DraftRescue,
    ForbiddenPhrase,
    Member,
    MemberQualityDocument,
    MemberScope,
    MembershipCounter,
    MemberUser,
    ReminderSent,
)
from portal.members.staff_models import (  # noqa: F401
    ExamRecord,
    StaffCertificate,
    StaffMember,
    TrainingRecord,
)
from portal.notifications import Notification  # noqa: F401
from portal.publication.models import CreditRepair, FactDispute, PublicEntry  # noqa: F401
from portal.ratings.models import (  # noqa: F401
    FiguresChange,
    RatingResult,
    RatingRun,
    YearlyFigures,
)
from portal.scheduler import JobLease  # noqa: F401
from portal.uploads import StoredFile  # noqa: F401
