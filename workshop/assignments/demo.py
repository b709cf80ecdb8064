"""Demo homework for "Rebuilding Together: autumn group" (seed-demo): assignments of the first
stages in every state, and scale answers over several weeks so progress has data.

Answers go through services.save_answers (so progress data and safety checks are made the
real way) and are then dated back to when they would have been written. No email is sent:
the assignments are made directly, not through services.assign.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from workshop.extensions import db
from workshop.homework import services
from workshop.models import (
    Assignment,
    Exercise,
    MeasurePoint,
    Submission,
    User,
    Workshop,
    utcnow,
)

DEMO_WORKSHOP = "Rebuilding Together: autumn group"
REVIEWED, SUBMITTED, DRAFT, NOT_STARTED = "reviewed", "submitted", "draft", None

# (exercise key, week it was given (None: this week), states per couple: one per partner, or
# one for a joint exercise). Couples in enrollment order: Alex & Sam, then Jordan & Riley.
PLAN = [
    ("readiness-where-we-stand", 0, [(REVIEWED, REVIEWED), (REVIEWED, SUBMITTED)]),
    ("readiness-safety-check-in", 0, [(REVIEWED, REVIEWED), (SUBMITTED, SUBMITTED)]),
    ("timing-what-heals-first", 1, [(DRAFT, NOT_STARTED), (REVIEWED, REVIEWED)]),
    ("positivity-good-moments", 1, [(REVIEWED, REVIEWED), (REVIEWED, REVIEWED)]),
    ("cooperation-shared-goal", 2, [(SUBMITTED,), (REVIEWED,)]),
    ("positivity-good-moments", 2, [(REVIEWED, REVIEWED), (REVIEWED, REVIEWED)]),
    ("communication-reflection", 3, [(REVIEWED, REVIEWED), (REVIEWED, REVIEWED)]),
    ("positivity-good-moments", 3, [(REVIEWED, REVIEWED), (REVIEWED, SUBMITTED)]),
    ("readiness-where-we-stand", 4, [(SUBMITTED, REVIEWED), (REVIEWED, REVIEWED)]),
    ("communication-reflection", 4, [(REVIEWED, SUBMITTED), (SUBMITTED, SUBMITTED)]),
    ("positivity-good-moments", 4, [(SUBMITTED, SUBMITTED), (SUBMITTED, NOT_STARTED)]),
    ("communication-reflection", 5, [(SUBMITTED, SUBMITTED), (DRAFT, SUBMITTED)]),
    ("novelty-plan-something-new", None, [(DRAFT,), (NOT_STARTED,)]),
    ("positivity-good-moments", None, [(NOT_STARTED, DRAFT), (NOT_STARTED, NOT_STARTED)]),
]

# Scale answers rising slowly over the weeks, per partner (Alex, Sam, Jordan, Riley).
RISING = [[4, 5, 5, 6, 7, 7], [3, 4, 5, 6, 6, 7], [5, 5, 6, 6, 7, 8], [4, 4, 5, 5, 6, 7]]
MOMENTS = [
    ["Coffee together before work", "A walk without phones", "Laughing at an old film"],
    ["Cooking dinner side by side", "A kind message at lunchtime", "Saying sorry first"],
    ["Fixing the bike together", "Planning the weekend calmly", "A long hug at the door"],
    ["Sunday breakfast in bed", "Listening without fixing", "Sharing a playlist"],
]
WOUNDS = ["The months we did not speak", "Feeling unheard about money"]
HOPES = [
    "I would like us to talk about hard things without it turning into a fight.",
    "I want evenings at home to feel easy again, not like walking on eggshells.",
    "I hope we can make decisions together instead of one of us giving in.",
    "I would like us to spend time together because we want to, not out of habit.",
]
FEEDBACK = [
    "Thank you for writing this so openly. Let's start from your last answer next session.",
    "This is a real step. Notice how specific you were: keep that up this week.",
    "Good to read. I'd like to hear more about the second point when we meet.",
    "Thank you. Your answers line up more than you might think; we'll look at that together.",
]


def seed_demo_homework() -> int:
    """Give the demo group its homework, once; returns how many assignments were made."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.title == DEMO_WORKSHOP))
    if workshop is None or _has_homework(workshop):
        return 0
    exercises = {
        e.key: e
        for e in db.session.scalars(
            select(Exercise).where(Exercise.key.in_({key for key, _, _ in PLAN}))
        )
    }
    couples = [e.couple for e in sorted(workshop.enrollments, key=lambda e: e.id)]
    made = 0
    for key, week, states in PLAN:
        opens_at, due_at = _times(workshop, week)
        for couple_number, (couple, couple_states) in enumerate(zip(couples, states, strict=False)):
            assignment = _give(workshop, couple, exercises[key], opens_at, due_at)
            _answer(assignment, couple_number, couple_states, week)
            made += 1
    return made


def _has_homework(workshop: Workshop) -> bool:
    query = select(Assignment.id).where(Assignment.workshop_id == workshop.id).limit(1)
    return db.session.scalar(query) is not None


def _times(workshop: Workshop, week: int | None) -> tuple[datetime, datetime]:
    """Given two hours after week's session, due at 20:00 (local) the day before the next;
    this week's homework opened two days ago and is due in four days."""
    now = utcnow().replace(second=0, microsecond=0)
    if week is None:
        return now - timedelta(days=2), now + timedelta(days=4)
    starts = sorted(session.starts_at for session in workshop.sessions)
    return starts[week] + timedelta(hours=2), starts[week + 1] - timedelta(hours=22)


def _give(workshop, couple, exercise, opens_at, due_at) -> Assignment:
    assignment = Assignment(
        workshop_id=workshop.id,
        couple=couple,
        exercise_version=services.current_version(exercise),
        opens_at=opens_at,
        due_at=due_at,
        assigned_by_id=workshop.lead_id,
        created_at=opens_at,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def _answer(assignment: Assignment, couple_number: int, states: tuple, week: int | None) -> None:
    partners = assignment.couple.partners
    for number, state in enumerate(states):
        if state is NOT_STARTED:
            continue
        partner = partners[number]
        person = couple_number * 2 + number
        answers = _answers_for(assignment.exercise_version.exercise.key, person, week)
        submission = services.save_answers(
            assignment, partner, answers, None, submit=state != DRAFT
        )
        _backdate(submission, assignment, number, state)


def _backdate(submission: Submission, assignment: Assignment, number: int, state: str) -> None:
    """Date the answers (and their progress data) to a day before they were due."""
    now = utcnow()
    written = min(assignment.due_at - timedelta(hours=26 - 5 * number), now - timedelta(hours=3))
    written = max(written, assignment.opens_at + timedelta(hours=1))
    submission.updated_at = written
    if state == DRAFT:
        return
    submission.submitted_at = written
    for point in db.session.scalars(
        select(MeasurePoint).where(MeasurePoint.submission_id == submission.id)
    ):
        point.recorded_at = written
    if state == REVIEWED:
        lead = db.session.get(User, assignment.assigned_by_id)
        services.review(submission, lead, FEEDBACK[submission.id % len(FEEDBACK)])
        submission.reviewed_at = min(written + timedelta(days=1), now - timedelta(hours=1))
    db.session.flush()


def _answers_for(key: str, person: int, week: int | None) -> dict:
    """Plausible answers of one partner (0-3) to a built-in exercise in a given week."""
    level = RISING[person][min(week if week is not None else 5, 5)]
    answers = {
        "readiness-where-we-stand": {
            "willing": level + 1,
            "hopeful": level,
            "patterns": [
                ["Poor communication", "The silent treatment"],
                ["People-pleasing", "Lack of intimacy"],
                ["Emotional withholding", "Poor communication"],
                ["Codependency"],
            ][person],
            "hope": HOPES[person],
        },
        "readiness-safety-check-in": {
            "afraid": "no",
            "harmed": "no",
            "safe_at_home": 9 - person % 2,
            "private_note": "",
        },
        "timing-what-heals-first": {
            "wounds": WOUNDS[: 1 + person % 2],
            "same_page": ["We mostly agree", "We see it differently"][person % 2],
            "first_step": "Hearing that the other one understands why it hurt.",
        },
        "cooperation-shared-goal": {
            "goal": ["A calm home we both look forward to", "Being a team again"][person // 2],
            "effort": "Two evenings a week without screens, and the Sunday walk.",
            "balance": level,
        },
        "positivity-good-moments": {
            "moments": MOMENTS[(person + (week or 0)) % 4],
            "positive": level,
        },
        "communication-reflection": {
            "heard": level,
            "hard_to_say": "That I was still hurt about the holiday, and not only angry.",
            "helped": ["Taking a breath before answering", "Repeating back what I heard"],
        },
        "novelty-plan-something-new": {
            "activity": ["A pottery class", "Kayaking on the river"][person // 2],
        },
    }[key]
    return {
        name: str(value) if isinstance(value, int) else value for name, value in answers.items()
    }
