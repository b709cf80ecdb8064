"""Outgoing email, sent only when the transaction that caused it commits.

Services queue messages on the database session; a message leaves after a successful commit
and is dropped on rollback, so nobody is invited to an account that was never saved.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_mailman import EmailMessage
from sqlalchemy import event
from sqlalchemy.orm import Session

from workshop.extensions import db

OUTBOX_KEY = "outbox"


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_commit", _send_outbox):
        event.listen(Session, "after_commit", _send_outbox)
        event.listen(Session, "after_soft_rollback", _drop_outbox)


def queue_email(to: str, subject: str, template: str, **context) -> None:
    """Queue a plain-text email rendered from templates/email/<template>.txt."""
    body = render_template(f"email/{template}.txt", **context)
    message = EmailMessage(subject=subject, body=body, to=[to])
    db.session.info.setdefault(OUTBOX_KEY, []).append(message)


def public_url(endpoint: str, **values) -> str:
    """An absolute link for emails, built from PUBLIC_URL and never from the request's Host."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _send_outbox(session: Session) -> None:
    messages = session.info.pop(OUTBOX_KEY, [])
    for message in messages:
        try:
            message.send()
        except Exception:  # the data is saved; a mail outage must not turn that into a 500
            current_app.logger.exception("could not send email %r", message.subject)


def _drop_outbox(session: Session, previous_transaction) -> None:
    session.info.pop(OUTBOX_KEY, None)
