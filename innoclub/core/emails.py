from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise as StrPromise

from innoclub.core.tasks import deliver_email


def email_send(
    *,
    to: list[str],
    subject: str | StrPromise,
    template: str,
    context: dict[str, Any],
    reply_to: list[str] | None = None,
    language: str = "de",
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render ``<template>.txt`` and ``<template>.html`` and send them in the background.

    Side effects: enqueues a ``deliver_email`` task once the surrounding
    transaction commits, so a rolled-back change never sends mail and the
    request never waits for SMTP. User text only ever enters the templates as
    context variables, never as template source.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        clean_subject = " ".join(str(subject).split())
    transaction.on_commit(
        lambda: deliver_email.enqueue(
            subject=clean_subject,
            text=text,
            html=html,
            to=to,
            reply_to=reply_to,
            attachments=attachments,
        )
    )
