"""E-mail leaves through the background worker to a real SMTP server."""

from __future__ import annotations

import email
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        self.messages.append((envelope, email.message_from_bytes(content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_feedback_mail_is_queued_then_delivered_by_the_worker_over_smtp(smtp_server, settings):
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.INNOCLUB_OFFICE_EMAIL = "office@innoclub.example"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }

    response = Client().post(
        "/barrierefreiheit/",
        {"message": "Die Tabelle hat keine Überschriften.", "email": "jana@example.org"},
    )

    # The request did not wait for SMTP: the mail waits in the queue.
    assert response.status_code == 302
    assert inbox.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)

    ((envelope, message),) = inbox.messages
    assert envelope.rcpt_tos == ["office@innoclub.example"]
    assert message["Reply-To"] == "jana@example.org"
    assert message["Subject"]
    bodies = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert "Die Tabelle hat keine Überschriften." in bodies["text/plain"]
    assert "Die Tabelle hat keine Überschriften." in bodies["text/html"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
