from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task(queue_name="email")
def deliver_email(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Send one e-mail through the configured backend (SMTP in production).

    ``attachments`` are text files as (file name, content, MIME type), such as
    an .ics calendar; text keeps the task arguments JSON-serialisable.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
