from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.core.emails import email_send
from innoclub.core.models import AccessibilityFeedback, LegalPage


@transaction.atomic
def feedback_create(
    *, message: str, name: str = "", email: str = "", page_url: str = ""
) -> AccessibilityFeedback:
    """Store a message from the accessibility feedback form.

    Side effects: one row; an e-mail to the office (INNOCLUB_OFFICE_EMAIL)
    after commit, with the sender as Reply-To when an address was given.
    """
    feedback = AccessibilityFeedback.objects.create(
        message=message.strip(), name=name.strip(), email=email.strip(), page_url=page_url.strip()
    )
    email_send(
        to=[settings.INNOCLUB_OFFICE_EMAIL],
        subject=_("Accessibility feedback"),
        template="core/email/feedback_received",
        context={"feedback": feedback},
        reply_to=[feedback.email] if feedback.email else None,
    )
    return feedback


def legal_page_update(*, page: LegalPage, title: str, body: str, user: User) -> LegalPage:
    """Replace the text of a legal page. Side effects: saves the page."""
    page.title = title.strip()
    page.body = body
    page.updated_by = user
    page.save()
    return page


def feedback_mark_handled(*, feedback: AccessibilityFeedback) -> None:
    """Side effects: sets ``handled`` on the message."""
    feedback.handled = True
    feedback.save(update_fields=["handled"])
