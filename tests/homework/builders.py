"""The assignment tests' HomeworkBuilder, plus what the partner's tests need: a counselor's
review or reopening, unlocking after a safety check-in. Plain ids in, plain data out."""

from tests.assignments.builders import HomeworkBuilder
from tests.workshops.builders import user_id
from workshop.extensions import db
from workshop.homework import services
from workshop.models import Couple, Exercise, Submission, User


class PartnerHomework(HomeworkBuilder):
    """HomeworkBuilder with the counselor's side done straight through the services."""

    def review(self, submission_id: int, feedback: str) -> None:
        with self.database():
            counselor = db.session.get(User, user_id(self.world.counselor))
            services.review(db.session.get(Submission, submission_id), counselor, feedback)

    def reopen(self, submission_id: int) -> None:
        with self.database():
            services.reopen(db.session.get(Submission, submission_id))

    def mark_safety_reviewed(self, couple_id: int) -> None:
        with self.database():
            counselor = db.session.get(User, user_id(self.world.counselor))
            services.mark_safety_reviewed(db.session.get(Couple, couple_id), counselor)

    def edit_exercise(self, key: str, **columns) -> None:
        """Change an exercise's working copy (assignments keep the version they were given)."""
        with self.database():
            exercise = db.session.scalar(db.select(Exercise).where(Exercise.key == key))
            for name, value in columns.items():
                setattr(exercise, name, value)
