"""Writes of the discussion around an idea: comments and their moderation,
"Ich unterstütze", "Wir würden mitmachen" and following.

Counters on ``Idea`` (``support_count``, ``comment_count`` = visible comments
and replies) change with ``F()`` expressions in the transaction that inserts
or removes what they count. Refusals raise ``ValidationError`` with a German
message and change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.core import sections
from innoclub.ideas import notifications
from innoclub.ideas.models import Comment, Follow, Idea, PilotInterest, Support

# How long an author may still correct a comment.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)
COMMENT_MAX_LENGTH = 5000


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Please write a comment.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A comment can have at most %(max)d characters.")
                % {"max": COMMENT_MAX_LENGTH}
            }
        )
    return text


def _count(idea: Idea, field: str, delta: int) -> None:
    Idea.objects.filter(pk=idea.pk).update(**{field: F(field) + delta})
    sections.changed_for(Idea)  # an UPDATE sends no signal


@transaction.atomic
def comment_create(
    *, idea: Idea, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """Write a comment, or a reply when ``parent`` is given.

    Replies go one level deep: a reply to a reply joins the thread of the
    comment it belongs to. Side effects: inserts the comment, raises the
    idea's comment count, makes the author follow the idea, notifies authors,
    followers and the author of the parent comment.
    """
    text = _clean_body(body)
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError(_("This comment belongs to another idea."))
        if parent.parent_id is not None:
            parent = Comment.objects.select_related("author").get(pk=parent.parent_id)
        if parent.is_hidden:
            raise ValidationError(_("A hidden comment cannot be answered."))
    comment = Comment.objects.create(idea=idea, author=author, body=text, parent=parent)
    _count(idea, "comment_count", 1)
    follow_add(idea=idea, user=author)
    notifications.notify_comment(comment=comment)
    return comment


def comment_editable_until(comment: Comment) -> datetime:
    return comment.created_at + COMMENT_EDIT_WINDOW


def may_still_edit(comment: Comment, user: User, *, now: datetime | None = None) -> bool:
    moment = now or timezone.now()
    return (
        comment.author_id == user.pk
        and not comment.is_hidden
        and moment <= comment_editable_until(comment)
    )


def has_editable_comment(*, idea: Idea | int, user: User | AnonymousUser) -> bool:
    """Whether ``user`` may still edit a comment of theirs on ``idea`` (or the
    idea with that key): one query, none for visitors."""
    if not user.is_authenticated:
        return False
    return Comment.objects.filter(
        idea=idea,
        author_id=user.pk,
        hidden_at__isnull=True,
        created_at__gte=timezone.now() - COMMENT_EDIT_WINDOW,
    ).exists()


@transaction.atomic
def comment_update(*, comment: Comment, by: User, body: str) -> Comment:
    """Correct one's own comment within ``COMMENT_EDIT_WINDOW``.

    Side effects: updates the comment's text and ``edited_at``.
    """
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.author_id != by.pk:
        raise ValidationError(_("Only the author can change a comment."))
    if locked.is_hidden:
        raise ValidationError(_("A hidden comment cannot be changed."))
    if timezone.now() > comment_editable_until(locked):
        raise ValidationError(
            _("Comments can be changed for %(minutes)d minutes after writing.")
            % {"minutes": COMMENT_EDIT_WINDOW.seconds // 60}
        )
    locked.body = _clean_body(body)
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    comment.body, comment.edited_at = locked.body, locked.edited_at
    return locked


@transaction.atomic
def comment_hide(*, comment: Comment, by: User, reason: str) -> Comment:
    """The office hides a comment with a reason its author is told.

    The text is kept (the office can restore it). Side effects: updates the
    comment, lowers the idea's comment count, notifies the comment's author.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the author a reason.")})
    # Only the comment's row: PostgreSQL cannot lock the outer join to a deleted author.
    locked = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "author")
        .get(pk=comment.pk)
    )
    if locked.is_hidden:
        raise ValidationError(_("This comment is already hidden."))
    locked.hidden_at = timezone.now()
    locked.hidden_by = by
    locked.hidden_reason = reason.strip()[:1000]
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _count(locked.idea, "comment_count", -1)
    notifications.notify_comment_hidden(comment=locked)
    return locked


@transaction.atomic
def comment_restore(*, comment: Comment) -> Comment:
    """Show a hidden comment again. Side effects: updates it, raises the count."""
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("idea").get(pk=comment.pk)
    )
    if not locked.is_hidden:
        return locked
    locked.hidden_at, locked.hidden_by, locked.hidden_reason = None, None, ""
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _count(locked.idea, "comment_count", 1)
    return locked


def support_add(*, idea: Idea, user: User) -> bool:
    """ "Ich unterstütze": one support per member and idea, whatever the clicks.

    The unique constraint decides between simultaneous requests: the second
    insert fails inside its savepoint and counts nothing. Returns whether a
    support was added. Side effects: inserts the support and raises the count.
    """
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
            _count(idea, "support_count", 1)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def support_remove(*, idea: Idea, user: User) -> bool:
    """Side effects: deletes the support and lowers the count, if there was one."""
    deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
    if deleted:
        _count(idea, "support_count", -1)
    return bool(deleted)


@transaction.atomic
def interest_declare(*, idea: Idea, user: User, note: str = "") -> PilotInterest:
    """ "Wir würden mitmachen" for the municipality of ``user``.

    One declaration per municipality: a second one (by anyone from there)
    updates the note. Side effects: inserts or updates one row.
    """
    if user.municipality_id is None:
        raise ValidationError(
            _("Your account is not linked to a municipality. Please ask the club office.")
        )
    clean_note = note.strip()
    if len(clean_note) > 1000:
        raise ValidationError({"note": _("The note can have at most 1000 characters.")})
    interest, _created = PilotInterest.objects.update_or_create(
        idea=idea,
        municipality_id=user.municipality_id,
        defaults={"user": user, "note": clean_note},
    )
    return interest


def interest_withdraw(*, idea: Idea, user: User) -> bool:
    """Side effects: deletes the declaration of the person's municipality."""
    if user.municipality_id is None:
        return False
    deleted, _rows = PilotInterest.objects.filter(
        idea=idea, municipality_id=user.municipality_id
    ).delete()
    return bool(deleted)


def follow_add(*, idea: Idea, user: User) -> None:
    """Side effects: inserts the follow row unless it exists.

    ``get_or_create`` inserts in a savepoint and reads the row a simultaneous
    request made when the unique constraint refuses the second insert.
    """
    Follow.objects.get_or_create(idea=idea, user=user)


def follow_remove(*, idea: Idea, user: User) -> None:
    """Side effects: deletes the follow row."""
    Follow.objects.filter(idea=idea, user=user).delete()
