"""Template helpers of the idea page: how a person is named, and what a viewer may do
with a comment. Both work on rows the page already read (no queries)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from innoclub.accounts.models import Role, User
from innoclub.core import access
from innoclub.ideas import engagement, selectors
from innoclub.ideas.models import Comment, Notification, NotificationKind

register = template.Library()


def _role_label(person: User) -> str:
    if person.role == Role.STAFF:
        return _("Club office")
    if person.role == Role.GUEST:
        return _("An external partner")
    return _("A member of the club")


@register.simple_tag(takes_context=True)
def person(context: template.Context, person: User | None) -> SafeString:
    """A person's name as the viewer may see it.

    Members and the office see names, linked to the profile where it is shared
    with them; guests see names without links; the public sees only names of
    people who agreed to public listing, and otherwise the role.
    The person's profile must be selected with them (``select_related``).
    """
    viewer = context["request"].user
    if person is None:
        return format_html("{}", _("A former participant"))
    name = person.get_full_name() or _role_label(person)
    if not viewer.is_authenticated:
        profile = access.profile_of(person)
        if profile is None or not profile.public_listing:
            return format_html("{}", _role_label(person))
        return format_html("{}", name)
    url = (
        reverse("network:profile", args=[person.pk])
        if access.may_open_profile(viewer, person)
        else ""
    )
    if url:
        return format_html('<a class="kern-link" href="{}">{}</a>', url, name)
    return format_html("{}", name)


@register.filter
def editable_by(comment: Comment, user: access.AnyUser) -> bool:
    """The author may still correct the comment (15 minutes after writing)."""
    return bool(user.is_authenticated and engagement.may_still_edit(comment, user))


@register.filter
def written_by(comment: Comment, user: access.AnyUser) -> bool:
    return bool(user.is_authenticated and comment.author_id == user.pk)


@register.filter
def notification_path(notification: Notification) -> str:
    """Where a notification leads: the comment, the history, or the evaluation form."""
    if notification.kind == NotificationKind.EVALUATION:
        return reverse("ideas:evaluate", args=[notification.idea_id])
    if notification.comment_id is not None:
        # The comment may sit on any page of a long discussion: this link finds it.
        return reverse("ideas:comment", args=[notification.idea_id, notification.comment_id])
    url = reverse("ideas:detail", args=[notification.idea_id])
    if notification.kind == NotificationKind.STAGE:
        return f"{url}#verlauf"
    return url


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """How many notifications from the idea forge the person has not read (one query)."""
    user = context["request"].user
    return selectors.unread_count(user=user) if user.is_authenticated else 0
