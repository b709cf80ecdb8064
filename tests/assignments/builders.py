"""Homework straight in the database for the assignment tests: the library, assignments and
answers in one line each. Every method opens its own app context and hands back plain ids."""

from datetime import datetime, timedelta

from sqlalchemy import select

from tests.workshops.builders import Builder, user_id
from workshop.extensions import db
from workshop.homework import services
from workshop.models import (
    Assignment,
    Exercise,
    Submission,
    SubmissionStatus,
    User,
    Workshop,
    utcnow,
)

WHERE_I_STAND = "readiness-where-we-stand"  # individual, answers readable after both
SAFETY_CHECK_IN = "readiness-safety-check-in"  # individual, private, flags risk
SHARED_GOAL = "cooperation-shared-goal"  # joint

# Complete answers that submit cleanly.
STAND_ANSWERS = {
    "willing": "7",
    "patterns": ["Codependency"],
    "hope": "More calm evenings.",
    "hopeful": "6",
}
SAFE_CHECK_IN = {"afraid": "no", "harmed": "no", "safe_at_home": "9", "private_note": ""}
RISKY_CHECK_IN = {
    "afraid": "yes",
    "harmed": "no",
    "safe_at_home": "3",
    "private_note": "He shouts when he drinks.",
}
GOAL_ANSWERS = {"goal": "Talk every evening", "effort": "Twenty minutes each", "balance": "5"}


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


class HomeworkBuilder(Builder):
    """Builder (workshops, couples, sessions) plus exercises, assignments and answers."""

    def library(self) -> dict[str, int]:
        """Load the built-in exercises; their ids by key."""
        with self.database():
            services.sync_library()
            db.session.flush()
            return dict(
                db.session.execute(
                    select(Exercise.key, Exercise.id).where(Exercise.key.isnot(None))
                ).all()
            )

    def own_exercise(
        self, counselor: str, title: str = "My own exercise", stage_id: int | None = None
    ) -> int:
        """An exercise written by `counselor`, with one short question."""
        with self.database():
            author = db.session.get(User, user_id(counselor))
            exercise = Exercise(
                practice_id=author.practice_id,
                owner_id=author.id,
                title=title,
                stage_id=stage_id or 1,
                instructions="Write a line.",
                mode="individual",
                visibility="private",
                fields=[
                    {"key": "line", "type": "short_text", "label": "One line", "required": True}
                ],
            )
            db.session.add(exercise)
            db.session.flush()
            return exercise.id

    def give(
        self,
        workshop_id: int,
        couple_ids,
        key: str = WHERE_I_STAND,
        *,
        due_in: timedelta = timedelta(days=7),
        opened: timedelta = timedelta(days=1),
        extra: str = "",
        counselor: str | None = None,
        exercise_id: int | None = None,
    ) -> list[int]:
        """Assignments of a built-in exercise, or of exercise `exercise_id` (as services.assign
        makes them, without email): opened `opened` ago, due `due_in` from now. Ids in couple
        order."""
        now = utcnow().replace(microsecond=0)
        with self.database():
            if exercise_id is None:
                exercise = db.session.scalar(select(Exercise).where(Exercise.key == key))
            else:
                exercise = db.session.get(Exercise, exercise_id)
            version = services.current_version(exercise)
            made = [
                Assignment(
                    workshop_id=workshop_id,
                    couple_id=couple_id,
                    exercise_version=version,
                    opens_at=now - opened,
                    due_at=now + due_in,
                    extra_instructions=extra,
                    assigned_by_id=user_id(counselor or self.world.counselor),
                )
                for couple_id in couple_ids
            ]
            db.session.add_all(made)
            db.session.flush()
            return [assignment.id for assignment in made]

    def answer(
        self, assignment_id: int, partner_id: int, answers: dict, submit: bool = True
    ) -> int:
        """Save (and by default submit) a partner's answers through the services."""
        with self.database():
            assignment = db.session.get(Assignment, assignment_id)
            partner = db.session.get(User, partner_id)
            return services.save_answers(assignment, partner, answers, None, submit).id

    def submission(self, submission_id: int) -> dict:
        return self.read(
            Submission,
            submission_id,
            "status",
            "feedback",
            "reviewed_at",
            "answers",
            "version",
            "submitted_at",
        )

    def co_lead(self, workshop_id: int, email: str) -> None:
        """Make the counselor with this email a co-counselor of the workshop."""
        with self.database():
            workshop = db.session.get(Workshop, workshop_id)
            workshop.co_counselors.append(
                db.session.scalar(select(User).where(User.email == email))
            )

    def submit_at(self, submission_id: int, moment: datetime) -> None:
        """Pretend the submission was sent at `moment` (for the queue's order)."""
        with self.database():
            db.session.get(Submission, submission_id).submitted_at = moment

    def statuses(self, assignment_id: int) -> dict[str, str]:
        with self.app.app_context():
            return {
                s.respondent: s.status
                for s in db.session.scalars(
                    select(Submission).where(Submission.assignment_id == assignment_id)
                )
            }


__all__ = ["HomeworkBuilder", "SubmissionStatus"]


def walk_homework(app, world, workshop_id: int) -> dict[str, int]:
    """For the access walk: homework of the world's couple in the counselor's workshop, which
    the world's partner has submitted. URL values assignment_id and submission_id."""
    build = HomeworkBuilder(app, world)
    build.library()
    [assignment_id] = build.give(workshop_id, [world.couple_id])
    submission_id = build.answer(assignment_id, world.partner_id, STAND_ANSWERS)
    return {"assignment_id": assignment_id, "submission_id": submission_id}
