"""All models, imported here so Alembic and the app see one complete metadata."""

from workshop.models.auth import AccountToken, LoginSession, TokenPurpose
from workshop.models.curriculum import Stage
from workshop.models.homework import (
    JOINT_RESPONDENT,
    AnswerMode,
    Assignment,
    AssignmentReminder,
    Exercise,
    ExerciseVersion,
    MeasurePoint,
    SafetyFlag,
    Submission,
    SubmissionStatus,
    Visibility,
)
from workshop.models.jobs import Job, JobStatus
from workshop.models.notes import (
    AuditEvent,
    NoteAddendum,
    NoteFormat,
    NoteStatus,
    ProgressSummary,
    SessionNote,
)
from workshop.models.people import STAFF_ROLES, Couple, Practice, Role, User
from workshop.models.reports import Report, ReportKind
from workshop.models.types import utcnow
from workshop.models.workshops import (
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    SessionReminder,
    SessionStage,
    SessionStatus,
    Workshop,
    WorkshopCounselor,
    WorkshopFormat,
    WorkshopSession,
    WorkshopStatus,
)

__all__ = [
    "Job",
    "JobStatus",
    "AuditEvent",
    "NoteAddendum",
    "NoteFormat",
    "NoteStatus",
    "ProgressSummary",
    "SessionNote",
    "JOINT_RESPONDENT",
    "AnswerMode",
    "Assignment",
    "AssignmentReminder",
    "Exercise",
    "ExerciseVersion",
    "MeasurePoint",
    "SafetyFlag",
    "Submission",
    "SubmissionStatus",
    "Visibility",
    "STAFF_ROLES",
    "AccountToken",
    "Attendance",
    "AttendanceStatus",
    "Enrollment",
    "EnrollmentStatus",
    "SessionReminder",
    "SessionStage",
    "SessionStatus",
    "Workshop",
    "WorkshopCounselor",
    "WorkshopFormat",
    "WorkshopSession",
    "WorkshopStatus",
    "Couple",
    "LoginSession",
    "Practice",
    "Report",
    "ReportKind",
    "Role",
    "Stage",
    "TokenPurpose",
    "User",
    "utcnow",
]
