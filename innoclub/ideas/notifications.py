"""Notifications of the idea forge: an in-app list and e-mail.

Every event (a comment, a reply, a stage change, a hidden comment, a request
to evaluate) becomes one ``Notification`` row per recipient, written in the
transaction of the change itself. What happens by e-mail depends on the
recipient's ``NotificationSetting``:

- immediate: one e-mail per notification, queued after commit, rendered by
  the worker in the recipient's language;
- daily: nothing now; ``manage.py send_idea_digest`` sends one e-mail with
  everything new since the last digest;
- off: nothing, the in-app list only.

``emailed_at`` marks a row as done for e-mail (sent, or none due), so a digest
never repeats an entry. Nobody is told about their own action, and nobody is
told about an idea they may no longer see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from innoclub.accounts.models import User
from innoclub.core.emails import email_send
from innoclub.ideas.models import (
    Comment,
    EvaluationAssignment,
    Frequency,
    Idea,
    Notification,
    NotificationKind,
    NotificationSetting,
    StageChange,
)

SUBJECTS = {
    NotificationKind.COMMENT: gettext_noop("New comment on “%(idea)s”"),
    NotificationKind.REPLY: gettext_noop("A reply to your comment on “%(idea)s”"),
    NotificationKind.STAGE: gettext_noop("“%(idea)s” has moved to a new stage"),
    NotificationKind.HIDDEN: gettext_noop("Your comment on “%(idea)s” was hidden"),
    NotificationKind.EVALUATION: gettext_noop("Please evaluate “%(idea)s”"),
}


def frequency_of(user: User) -> str:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.frequency if setting else Frequency.IMMEDIATE


def notification_setting_update(*, user: User, frequency: str) -> NotificationSetting:
    """Side effects: inserts or updates the person's one setting row."""
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    setting, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return setting


def _who_may_see(idea: Idea, people: Iterable[User]) -> list[User]:
    from innoclub.core.access import ideas_visible_condition  # access imports ideas models

    return [
        person
        for person in people
        if person.is_active
        and Idea.objects.filter(ideas_visible_condition(person), pk=idea.pk).exists()
    ]


def _authors_and_followers(idea: Idea) -> dict[int, User]:
    people = {user.pk: user for user in idea.authors.all()}
    for follow in idea.follows.select_related("user"):
        people.setdefault(follow.user_id, follow.user)
    return people


def _notify(
    *,
    idea: Idea,
    recipients: Iterable[User],
    kind: str,
    actor: User | None,
    comment: Comment | None = None,
    stage_change: StageChange | None = None,
) -> list[Notification]:
    """Insert a notification per recipient and queue the immediate e-mails."""
    people = [person for person in recipients if actor is None or person.pk != actor.pk]
    if kind != NotificationKind.HIDDEN:
        people = _who_may_see(idea, people)
    if not people:
        return []
    frequencies = dict(
        NotificationSetting.objects.filter(user__in=people).values_list("user_id", "frequency")
    )
    now = timezone.now()
    rows = [
        Notification(
            recipient=person,
            idea=idea,
            kind=kind,
            actor=actor,
            comment=comment,
            stage_change=stage_change,
            # Only the daily digest still has to pick a row up.
            emailed_at=None if frequencies.get(person.pk) == Frequency.DAILY else now,
        )
        for person in people
    ]
    created = Notification.objects.bulk_create(rows)
    immediate = [
        row.pk
        for row, person in zip(created, people, strict=True)
        if frequencies.get(person.pk, Frequency.IMMEDIATE) == Frequency.IMMEDIATE
    ]
    for pk in immediate:
        transaction.on_commit(partial(send_notification_email.enqueue, pk=pk))
    return created


def notify_comment(*, comment: Comment) -> list[Notification]:
    """Authors and followers hear of a comment; the author of the parent of a reply."""
    idea = comment.idea
    people = _authors_and_followers(idea)
    sent: list[Notification] = []
    parent_author = comment.parent.author if comment.parent else None
    if parent_author is not None:
        people.pop(parent_author.pk, None)
        sent += _notify(
            idea=idea,
            recipients=[parent_author],
            kind=NotificationKind.REPLY,
            actor=comment.author,
            comment=comment,
        )
    sent += _notify(
        idea=idea,
        recipients=people.values(),
        kind=NotificationKind.COMMENT,
        actor=comment.author,
        comment=comment,
    )
    return sent


def notify_stage_change(*, change: StageChange) -> list[Notification]:
    return _notify(
        idea=change.idea,
        recipients=_authors_and_followers(change.idea).values(),
        kind=NotificationKind.STAGE,
        actor=change.changed_by,
        stage_change=change,
    )


def notify_comment_hidden(*, comment: Comment) -> list[Notification]:
    if comment.author is None:
        return []
    return _notify(
        idea=comment.idea,
        recipients=[comment.author],
        kind=NotificationKind.HIDDEN,
        actor=comment.hidden_by,
        comment=comment,
    )


def notify_evaluation_assigned(*, assignment: EvaluationAssignment) -> list[Notification]:
    return _notify(
        idea=assignment.idea,
        recipients=[assignment.evaluator],
        kind=NotificationKind.EVALUATION,
        actor=assignment.assigned_by,
    )


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the given (or all) unread notifications of ``user`` as read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# --- E-mail -----------------------------------------------------------------


def _with_relations(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    return queryset.select_related("idea", "actor", "comment", "stage_change", "recipient")


@task(queue_name="email")
def send_notification_email(*, pk: int) -> None:
    """Render and send one notification; a row deleted meanwhile sends nothing."""
    notification = _with_relations(Notification.objects.filter(pk=pk)).first()
    if notification is None:
        return
    person = notification.recipient
    with translation.override(person.language):
        subject = _(SUBJECTS[NotificationKind(notification.kind)]) % {
            "idea": notification.idea.title
        }
    _email(person, subject, "ideas/email/notification", {"notification": notification})


def _email(person: User, subject: str, template: str, context: dict[str, Any]) -> None:
    email_send(
        to=[person.email],
        subject=subject,
        template=template,
        context={"user": person, **context},
        language=person.language,
    )


def digest_send(*, now: datetime | None = None) -> int:
    """Send each person on the daily digest one e-mail with their new notifications.

    Each person's pending rows are locked and marked in one transaction before
    the e-mail is queued, so overlapping runs never send an entry twice.
    Side effects: updates ``emailed_at`` and queues one e-mail per person.
    Returns the number of e-mails queued.
    """
    moment = now or timezone.now()
    recipients = (
        Notification.objects.filter(emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in sorted(set(recipients)):
        with transaction.atomic():
            pending = list(
                _with_relations(
                    Notification.objects.select_for_update(of=("self",)).filter(
                        recipient_id=recipient_id, emailed_at__isnull=True
                    )
                ).order_by("created_at", "id")
            )
            if not pending:
                continue
            Notification.objects.filter(pk__in=[row.pk for row in pending]).update(
                emailed_at=moment
            )
            person = pending[0].recipient
            if not person.is_active:
                continue
            with translation.override(person.language):
                subject = _("What happened in the idea forge")
            _email(person, subject, "ideas/email/digest", {"notifications": pending})
            sent += 1
    return sent
