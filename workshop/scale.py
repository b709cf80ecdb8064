"""A realistic large practice for measuring speed: `flask --app wsgi seed-scale`.

Rows go in with bulk INSERTs (`session.execute(insert(Model), rows)` in chunks), never one ORM
object per row, so a practice of 2,000 couples and ~100,000 answers is made in minutes. The
ORM bulk path still applies the columns' types (UTC datetimes, and any encrypting
TypeDecorator on note text or answers). Every generated login shares one password hash:
argon2 is slow on purpose, once is enough.

Shape: counselors lead workshops in rounds, 14 weeks apart; the last round is near its end
now, so almost every session is past (attendance and a note for each enrolled couple) and the
next ones are coming. Each couple is enrolled in one workshop and gets `homework_per_week`
exercises of that week's stage.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from math import ceil

import click
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select

from workshop.extensions import db
from workshop.homework.fields import MEASURES, signals_risk
from workshop.homework.services import current_version, sync_library
from workshop.models import (
    JOINT_RESPONDENT,
    Assignment,
    Attendance,
    AuditEvent,
    Couple,
    Enrollment,
    Exercise,
    MeasurePoint,
    Practice,
    Role,
    SafetyFlag,
    SessionNote,
    SessionStage,
    Stage,
    Submission,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
    utcnow,
)
from workshop.notes.formats import FORMATS
from workshop.security import hash_password

SCALE_PASSWORD = "scale-practice-password"  # nosec B105 # noqa: S105 - generated accounts only
CHUNK = 2_000
WEEK = timedelta(weeks=1)
ROUND_GAP = timedelta(weeks=14)  # a counselor's next workshop starts 14 weeks after the last
WEEKS_HELD_IN_LAST_ROUND = 11
TIMEZONES = ["America/New_York", "America/Chicago", "Europe/Lisbon", "Europe/Berlin", "UTC"]
NOTE_FORMATS = list(FORMATS)
FLAGGED_EVERY = 40  # one couple in 40 raises a safety flag


@dataclass(frozen=True)
class ScaleSize:
    """How big the practice is; the defaults are issue 9's "practice at scale"."""

    counselors: int = 50
    workshops: int = 200
    couples: int = 2_000
    weeks: int = 12
    homework_per_week: int = 2

    def scaled(self, factor: float) -> "ScaleSize":
        """The same shape with `factor` times the people (at least one of each)."""
        return replace(
            self,
            counselors=max(1, round(self.counselors * factor)),
            workshops=max(1, round(self.workshops * factor)),
            couples=max(1, round(self.couples * factor)),
        )


@dataclass
class ScaleResult:
    practice_id: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def seed_scale(
    size: ScaleSize,
    password: str = SCALE_PASSWORD,
    now: datetime | None = None,
    report: Callable[[str, int, float], None] = lambda table, rows, seconds: None,
    seed: int = 9,
) -> ScaleResult:
    """Add one large practice (a new one on every call) and return its id and row counts.

    Flushes but does not commit: the caller owns the transaction."""
    rng = random.Random(seed)  # nosec B311 # noqa: S311 - made-up data, repeatable on purpose
    seeder = _Seeder(size, now or utcnow(), rng, report)
    seeder.run(hash_password(password))
    return seeder.result


class _Seeder:
    def __init__(self, size: ScaleSize, now: datetime, rng: random.Random, report) -> None:
        self.size, self.now, self.rng, self.report = size, now, rng, report
        self.result = ScaleResult(practice_id=0)

    def run(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self._timed("practice", self._practice)
        self._timed("user (staff)", self._staff)
        self._timed("workshop", self._workshops)
        self._timed("couple", self._couples)
        self._timed("user (partners)", self._partners)
        self._timed("enrollment", self._enrollments)
        self._timed("workshop_session", self._sessions)
        self._timed("attendance", self._attendance)
        self._timed("exercise_version", self._exercise_versions)
        self._timed("assignment", self._assignments)
        self._timed("submission", self._submissions)
        self._timed("measure_point", self._measure_points)
        self._timed("safety_flag", self._safety_flags)
        self._timed("session_note", self._notes)
        self._timed("audit_event", self._audit_events)

    def _timed(self, table: str, step: Callable[[], int]) -> None:
        started = time.perf_counter()
        rows = step()
        seconds = time.perf_counter() - started
        self.result.counts[table] = rows
        self.result.seconds[table] = seconds
        self.report(table, rows, seconds)

    # --- people and workshops -------------------------------------------------------------

    def _practice(self) -> int:
        number = (db.session.scalar(select(func.count(Practice.id))) or 0) + 1
        [self.practice_id] = _insert(Practice, [{"name": f"Scale Practice {number}"}], ids=True)
        self.result.practice_id = self.practice_id
        self.tag = f"s{self.practice_id}"
        return 1

    def _user(self, role: Role, name: str, email: str, couple_id=None) -> dict:
        return {
            "practice_id": self.practice_id,
            "role": role,
            "name": name,
            "email": email,
            "password_hash": self.password_hash,
            "timezone": self.rng.choice(TIMEZONES),
            "couple_id": couple_id,
        }

    def _staff(self) -> int:
        domain = f"{self.tag}.scale.example.org"
        rows = [self._user(Role.ADMIN, "Scale Admin", f"admin@{domain}")]
        rows += [
            self._user(Role.COUNSELOR, f"Counselor {n:03}", f"counselor{n}@{domain}")
            for n in range(1, self.size.counselors + 1)
        ]
        self.admin_id, *self.counselor_ids = _insert(User, rows, ids=True)
        return len(rows)

    def _workshops(self) -> int:
        counselors = len(self.counselor_ids)
        rounds = ceil(self.size.workshops / counselors)
        # The last round has held all but its final session (at least one to come).
        held = min(WEEKS_HELD_IN_LAST_ROUND, self.size.weeks - 1)
        last_start = _monday(self.now) + timedelta(hours=17) - held * WEEK
        self.workshop_starts, self.leads, rows = [], [], []
        for n in range(self.size.workshops):
            round_, lead = divmod(n, counselors)
            # Counselors hold their sessions on different weekdays, so each day has some.
            start = last_start - (rounds - 1 - round_) * ROUND_GAP + timedelta(days=lead % 5)
            self.workshop_starts.append(start)
            self.leads.append(self.counselor_ids[lead])
            rows.append(self._workshop_row(n, lead, start))
        self.workshop_ids = _insert(Workshop, rows, ids=True)
        co_leads = [
            {"workshop_id": wid, "counselor_id": self.counselor_ids[(n + 1) % counselors]}
            for n, wid in enumerate(self.workshop_ids)
            if counselors > 1 and n % 4 == 3
        ]
        _insert(WorkshopCounselor, co_leads)
        return len(rows)

    def _workshop_row(self, n: int, lead: int, start: datetime) -> dict:
        per_workshop = ceil(self.size.couples / self.size.workshops)
        ended = start + self.size.weeks * WEEK < self.now
        return {
            "practice_id": self.practice_id,
            "lead_id": self.counselor_ids[lead],
            "title": f"Rebuilding Together {n + 1:04}",
            "description": "A twelve-week group for couples rebuilding after a breakup.",
            "format": "group",
            "location": f"Room {n % 6 + 1}",
            "timezone": TIMEZONES[n % len(TIMEZONES)],
            "capacity": max(8, per_workshop),
            "status": "completed" if ended else "active",
        }

    def _couples(self) -> int:
        self.couple_workshop = [n % len(self.workshop_ids) for n in range(self.size.couples)]
        rows = [
            {"practice_id": self.practice_id, "counselor_id": self.leads[w]}
            for w in self.couple_workshop
        ]
        self.couple_ids = _insert(Couple, rows, ids=True)
        return len(rows)

    def _partners(self) -> int:
        domain = f"{self.tag}.scale.example.org"
        rows = []
        for n, couple_id in enumerate(self.couple_ids, start=1):
            for letter in "ab":
                name = f"Partner {n:05}{letter.upper()}"
                rows.append(self._user(Role.PARTNER, name, f"p{n}{letter}@{domain}", couple_id))
        ids = _insert(User, rows, ids=True)
        self.partners = [tuple(ids[i : i + 2]) for i in range(0, len(ids), 2)]
        return len(rows)

    def _enrollments(self) -> int:
        rows = [
            {
                "workshop_id": self.workshop_ids[w],
                "couple_id": couple_id,
                "enrolled_at": self.workshop_starts[w] - 2 * WEEK,
            }
            for couple_id, w in zip(self.couple_ids, self.couple_workshop, strict=True)
        ]
        self.couples_of = [[] for _ in self.workshop_ids]
        for index, w in enumerate(self.couple_workshop):
            self.couples_of[w].append(index)
        _insert(Enrollment, rows)
        return len(rows)

    # --- sessions -------------------------------------------------------------------------

    def _sessions(self) -> int:
        stages = list(db.session.scalars(select(Stage.id).order_by(Stage.position)))
        rows, self.session_keys = [], []
        for w, workshop_id in enumerate(self.workshop_ids):
            for week in range(self.size.weeks):
                starts_at = self.workshop_starts[w] + week * WEEK
                rows.append(
                    {
                        "workshop_id": workshop_id,
                        "starts_at": starts_at,
                        "ends_at": starts_at + timedelta(minutes=90),
                        "location": f"Room {w % 6 + 1}",
                    }
                )
                self.session_keys.append((w, week, starts_at))
        self.session_ids = _insert(WorkshopSession, rows, ids=True)
        _insert(
            SessionStage,
            [
                {"session_id": sid, "stage_id": stages[week % len(stages)]}
                for sid, (_, week, _) in zip(self.session_ids, self.session_keys, strict=True)
            ],
        )
        return len(rows)

    def _past_sessions(self):
        """(session id, workshop index, week) of every session already held."""
        for sid, (w, week, starts_at) in zip(self.session_ids, self.session_keys, strict=True):
            if starts_at < self.now:
                yield sid, w, week

    def _attendance(self) -> int:
        statuses = ["present"] * 17 + ["absent", "absent", "excused"]
        rows = [
            {
                "session_id": sid,
                "partner_id": partner_id,
                "status": self.rng.choice(statuses),
                "recorded_by_id": self.leads[w],
                "recorded_at": self.workshop_starts[w] + week * WEEK + timedelta(hours=2),
            }
            for sid, w, week in self._past_sessions()
            for couple in self.couples_of[w]
            for partner_id in self.partners[couple]
        ]
        _insert(Attendance, rows)
        return len(rows)

    # --- homework -------------------------------------------------------------------------

    def _exercise_versions(self) -> int:
        sync_library()
        db.session.flush()
        built_ins = db.session.scalars(
            select(Exercise).where(Exercise.key.isnot(None)).order_by(Exercise.id)
        ).all()
        versions = [current_version(exercise) for exercise in built_ins]
        db.session.flush()
        positions = dict(db.session.execute(select(Stage.id, Stage.position)).all())
        self.by_stage: dict[int, list] = {}
        for version in versions:
            position = positions[version.exercise.stage_id]
            self.by_stage.setdefault(position, []).append(version)
        self.weekly = next(v for v in versions if v.exercise.key == "positivity-good-moments")
        return len(versions)

    def _week_exercises(self, week: int) -> list:
        offered = list(self.by_stage.get(week % 12 + 1, []))
        offered += [self.weekly] * self.size.homework_per_week
        return offered[: self.size.homework_per_week]

    def _assignments(self) -> int:
        rows, self.assignment_info = [], []
        for couple_index, couple_id in enumerate(self.couple_ids):
            w = self.couple_workshop[couple_index]
            for week in range(self.size.weeks):
                opens_at = self.workshop_starts[w] + week * WEEK + timedelta(hours=2)
                for version in self._week_exercises(week):
                    rows.append(
                        {
                            "workshop_id": self.workshop_ids[w],
                            "couple_id": couple_id,
                            "exercise_version_id": version.id,
                            "session_id": self.session_ids[w * self.size.weeks + week],
                            "opens_at": opens_at,
                            "due_at": opens_at + timedelta(days=6),
                            "assigned_by_id": self.leads[w],
                            "created_at": opens_at,
                        }
                    )
                    self.assignment_info.append((couple_index, version, opens_at))
        self.assignment_ids = _insert(Assignment, rows, ids=True)
        return len(rows)

    def _submission_state(self, opens_at: datetime) -> str | None:
        if opens_at > self.now:
            return None
        if opens_at + timedelta(days=6) > self.now:  # open now: some drafts under way
            return self.rng.choice(["draft", None])
        return self.rng.choices(["reviewed", "submitted", "draft", None], [55, 35, 5, 5])[0]

    def _submissions(self) -> int:
        rows, self.submitted = [], []
        for assignment_id, (couple_index, version, opens_at) in zip(
            self.assignment_ids, self.assignment_info, strict=True
        ):
            respondents = (
                [(JOINT_RESPONDENT, None)]
                if version.is_joint
                else [(f"p{p}", p) for p in self.partners[couple_index]]
            )
            risky = version.is_safety_check and couple_index % FLAGGED_EVERY == FLAGGED_EVERY - 1
            for respondent, partner_id in respondents:
                state = self._submission_state(opens_at)
                if state is None:
                    continue
                row = self._submission_row(assignment_id, couple_index, version, opens_at, state)
                row.update(respondent=respondent, partner_id=partner_id)
                row["answers"] = _answers(version.fields, self.rng, risky)
                rows.append(row)
                self.submitted.append((couple_index, version, partner_id, row, risky))
        ids = _insert(Submission, rows, ids=True)
        self.submitted = [(sid, *rest) for sid, rest in zip(ids, self.submitted, strict=True)]
        return len(rows)

    def _submission_row(self, assignment_id, couple_index, version, opens_at, state) -> dict:
        written = opens_at + timedelta(days=self.rng.randint(1, 5))
        partner = self.partners[couple_index][0]
        lead = self.leads[self.couple_workshop[couple_index]]
        done = state != "draft"
        reviewed = state == "reviewed"
        return {
            "assignment_id": assignment_id,
            "workshop_id": self.workshop_ids[self.couple_workshop[couple_index]],
            "status": state,
            "last_edited_by_id": partner,
            "updated_at": written,
            "submitted_at": written if done else None,
            "feedback": "Thank you: let's pick this up next session." if reviewed else "",
            "reviewed_at": written + timedelta(days=1) if reviewed else None,
            "reviewed_by_id": lead if reviewed else None,
            "version": 2 if done else 1,
        }

    def _measure_points(self) -> int:
        rows = []
        for sid, couple_index, version, partner_id, row, _ in self.submitted:
            if row["status"] == "draft":
                continue
            for fld in version.fields:
                if fld["type"] == "scale" and fld.get("measure") in MEASURES:
                    rows.append(
                        {
                            "submission_id": sid,
                            "couple_id": self.couple_ids[couple_index],
                            "partner_id": partner_id,
                            "measure": fld["measure"],
                            "value": row["answers"][fld["key"]],
                            "scale_min": fld["min"],
                            "scale_max": fld["max"],
                            "recorded_at": row["submitted_at"],
                        }
                    )
        _insert(MeasurePoint, rows)
        return len(rows)

    def _safety_flags(self) -> int:
        rows = [
            {
                "couple_id": self.couple_ids[couple_index],
                "submission_id": sid,
                "raised_at": row["submitted_at"],
                "reviewed_at": row["reviewed_at"],
                "reviewed_by_id": row["reviewed_by_id"],
            }
            for sid, couple_index, _, _, row, risky in self.submitted
            if risky and row["status"] != "draft"
        ]
        _insert(SafetyFlag, rows)
        return len(rows)

    # --- notes and the audit log ----------------------------------------------------------

    def _notes(self) -> int:
        rows, self.note_owners = [], []
        for sid, w, week in self._past_sessions():
            held_at = self.workshop_starts[w] + week * WEEK
            latest = held_at + WEEK > self.now  # the last held session: notes still drafts
            for couple in self.couples_of[w]:
                note_format = NOTE_FORMATS[(couple + week) % len(NOTE_FORMATS)]
                rows.append(self._note_row(sid, w, couple, note_format, held_at, latest))
                self.note_owners.append((self.leads[w], self.couple_ids[couple], held_at))
        self.note_ids = _insert(SessionNote, rows, ids=True)
        return len(rows)

    def _note_row(self, sid, w, couple, note_format, held_at, draft) -> dict:
        sections = {
            key: f"Week notes on {key}: both partners engaged; follow up on the homework."
            for key in FORMATS[note_format].keys
        }
        return {
            "session_id": sid,
            "couple_id": self.couple_ids[couple],
            "author_id": self.leads[w],
            "format": note_format,
            "sections": sections,
            "status": "draft" if draft else "signed",
            "created_at": held_at + timedelta(hours=2),
            "updated_at": held_at + timedelta(hours=3),
            "signed_at": None if draft else held_at + timedelta(hours=3),
        }

    def _audit_events(self) -> int:
        rows = [
            {
                "practice_id": self.practice_id,
                "actor_id": author,
                "action": "note.created",
                "object_type": "session_note",
                "object_id": note_id,
                "couple_id": couple_id,
                "at": held_at + timedelta(hours=2),
                "ip_address": "10.0.0.1",
            }
            for note_id, (author, couple_id, held_at) in zip(
                self.note_ids, self.note_owners, strict=True
            )
        ]
        _insert(AuditEvent, rows)
        return len(rows)


def _insert(model, rows: list[dict], ids: bool = False) -> list[int]:
    """Bulk-insert `rows` in chunks; with ids=True, the new ids in the order of `rows`."""
    new_ids: list[int] = []
    # render_nulls: a None is sent as NULL instead of leaving the column out, so rows with and
    # without (say) a submitted_at stay in one executemany batch instead of many small ones.
    statement = insert(model).execution_options(render_nulls=True)
    if ids:
        statement = statement.returning(model.id, sort_by_parameter_order=True)
    for start in range(0, len(rows), CHUNK):
        result = db.session.execute(statement, rows[start : start + CHUNK])
        if ids:
            new_ids.extend(result.scalars())
    return new_ids


def _answers(fields: list[dict], rng: random.Random, risky: bool) -> dict:
    return {fld["key"]: _answer(fld, rng, risky) for fld in fields}


def _answer(fld: dict, rng: random.Random, risky: bool):
    """A plausible answer to one field; a risky one only where `risky` asks for it."""
    kind = fld["type"]
    if kind == "scale":
        candidates = list(range(fld["min"], fld["max"] + 1))
    elif kind == "single_choice":
        candidates = list(fld.get("options", []))
    elif kind == "multi_choice":
        candidates = [[option] for option in fld.get("options", [])]
    elif kind == "yes_no":
        candidates = ["yes", "no"]
    elif kind == "date":
        return "2026-06-01"
    elif kind == "list":
        return ["A walk together", "Dinner without phones"]
    else:
        return "We talked it through calmly and agreed to try again next week."
    safe = [value for value in candidates if not signals_risk(fld, value)]
    wanted = (
        [v for v in candidates if v not in safe] if risky and len(safe) < len(candidates) else safe
    )
    return rng.choice(wanted or candidates)


def _monday(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


@click.command("seed-scale")
@click.option("--scale", "factor", type=float, default=1.0, help="Multiply the people counts.")
@click.option("--counselors", type=int, help="Counselors (default 50 × scale).")
@click.option("--workshops", type=int, help="Workshops, 12 weekly sessions each (200 × scale).")
@click.option("--couples", type=int, help="Couples, two partners each (2,000 × scale).")
@click.option("--weeks", type=int, default=12, show_default=True, help="Sessions per workshop.")
@click.option("--homework-per-week", type=int, default=2, show_default=True)
@click.option("--password", default=SCALE_PASSWORD, show_default=True, help="Every login's.")
@with_appcontext
def seed_scale_command(factor, counselors, workshops, couples, weeks, homework_per_week, password):
    """Add a large generated practice (a new one each run), for benchmarks and EXPLAIN."""
    size = ScaleSize(weeks=weeks, homework_per_week=homework_per_week).scaled(factor)
    wanted = {"counselors": counselors, "workshops": workshops, "couples": couples}
    size = replace(size, **{name: value for name, value in wanted.items() if value is not None})
    started = time.perf_counter()
    result = seed_scale(size, password=password, report=_echo_step)
    db.session.commit()
    total = time.perf_counter() - started
    click.echo(
        f"Practice {result.practice_id}: {sum(result.counts.values()):,} rows in {total:.1f} s"
    )
    click.echo(f"Logins: admin@s{result.practice_id}.scale.example.org, ... password {password!r}")


def _echo_step(table: str, rows: int, seconds: float) -> None:
    click.echo(f"{table:<18} {rows:>8,} rows {seconds:7.2f} s")
