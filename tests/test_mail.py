"""Email leaves only when the action that caused it is saved; the demo writes it to files."""

from pathlib import Path

from sqlalchemy import text

from tests.conftest import test_config
from tests.helpers import Browser
from workshop import create_app
from workshop.extensions import db
from workshop.mail_outbox import queue_email


def test_file_backend_writes_each_message_to_the_outbox_folder(database_url, app, world, tmp_path):
    outbox_dir = tmp_path / "outbox"
    mailing_app = create_app(
        test_config(database_url, MAIL_BACKEND="file", MAIL_FILE_PATH=str(outbox_dir))
    )
    browser = Browser(mailing_app.test_client())
    browser.post("/password/forgot", {"email": world.counselor})
    files = list(Path(outbox_dir).iterdir())
    assert len(files) == 1
    content = files[0].read_text()
    assert world.counselor in content
    assert "/password/set/" in content


def test_queued_email_is_dropped_when_the_transaction_rolls_back(app, outbox):
    with app.test_request_context():
        db.session.execute(text("SELECT 1"))  # a service's work has begun a transaction
        queue_email(
            "someone@example.org",
            "Never sent",
            "password_reset",
            user=type("U", (), {"first_name": "Someone"}),
            link="x",
            valid_for="1 hour",
        )
        db.session.rollback()
        db.session.commit()
    assert outbox == []


def test_queued_email_is_sent_after_commit(app, outbox):
    with app.test_request_context():
        queue_email(
            "someone@example.org",
            "Sent",
            "password_reset",
            user=type("U", (), {"first_name": "Someone"}),
            link="x",
            valid_for="1 hour",
        )
        assert outbox == []
        db.session.commit()
    assert [message.subject for message in outbox] == ["Sent"]
