"""The access policy: who may see and change what.

This module is the one place that answers "may this user see / change this
object". Views declare an access rule for their URL with ``@access(...)``;
selectors filter querysets through ``filter_visible`` and fetch single objects
through ``get_visible_or_404``. A test walks every URL pattern and fails if a
view declares no rule.

Objects a user may not know exist answer 404, not 403: a guest or member who
opens a staff page, or a members-only object, learns nothing from the answer.
"""

from __future__ import annotations

import enum
import hmac
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from innoclub.accounts.models import User
    from innoclub.network.models import Profile

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


class Visibility(models.TextChoices):
    """Who may see an object. Levels are ordered from widest to narrowest."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    PARTICIPANTS = "participants", _("Participants of the event")
    STAFF = "staff", _("Club office")


class Rule(enum.Enum):
    """The access rule a URL declares.

    PUBLIC: anyone. AUTHENTICATED: any logged-in account (member, guest or
    staff). MEMBERS: members and staff; guests get 404. STAFF: the club office
    only; everybody else gets 404 (anonymous visitors are sent to the login).
    OBJECT: the view checks each object through ``get_visible_or_404``.
    MONITORING: a staff session or the monitoring token (``may_read_metrics``);
    everybody else gets 404, anonymous visitors too (a scraper has no login).
    """

    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    MEMBERS = "members"
    STAFF = "staff"
    OBJECT = "object"
    MONITORING = "monitoring"


# --- Roles ---------------------------------------------------------------


def is_staff(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_member(user: AnyUser) -> bool:
    """Members and the office: everyone who sees members-only content."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff or user.is_member)


def visible_levels(user: AnyUser) -> set[str]:
    """Visibility levels the user sees regardless of any particular object."""
    if is_staff(user):
        return {level.value for level in Visibility}
    if is_member(user):
        return {Visibility.PUBLIC.value, Visibility.MEMBERS.value}
    return {Visibility.PUBLIC.value}


# --- Objects -------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


def filter_visible(
    queryset: QuerySet[M],
    user: AnyUser,
    *,
    field: str = "visibility",
    participants: str | None = None,
) -> QuerySet[M]:
    """Narrow ``queryset`` to the objects ``user`` may see.

    ``participants`` names the lookup from the object to the users who take
    part (for example ``"event__registrations__user"``); objects with the
    PARTICIPANTS level are visible to exactly those users.
    """
    condition = Q(**{f"{field}__in": visible_levels(user)})
    if participants and user.is_authenticated and not is_staff(user):
        condition |= Q(**{field: Visibility.PARTICIPANTS, participants: user.pk})
    return queryset.filter(condition).distinct() if participants else queryset.filter(condition)


def get_visible_or_404(
    queryset: QuerySet[M],
    user: AnyUser,
    *,
    field: str = "visibility",
    participants: str | None = None,
    **lookup: Any,
) -> M:
    """Fetch one object for ``user``; 404 whether it is missing or hidden."""
    try:
        return filter_visible(queryset, user, field=field, participants=participants).get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None


class _HasVisibility(Protocol):
    visibility: str


def may_see(user: AnyUser, obj: _HasVisibility) -> bool:
    """For objects already in memory without a participants relation."""
    return obj.visibility in visible_levels(user)


# --- Views ---------------------------------------------------------------

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def access(rule: Rule) -> Callable[[V], V]:
    """Declare and enforce the access rule of a view function."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if rule is Rule.MONITORING and not may_read_metrics(request):
                raise Http404
            if rule in (Rule.AUTHENTICATED, Rule.MEMBERS, Rule.STAFF):
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if rule is Rule.MEMBERS and not is_member(user):
                    raise Http404
                if rule is Rule.STAFF and not is_staff(user):
                    raise Http404
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def may_read_metrics(request: HttpRequest) -> bool:
    """The office, or a scraper with ``Authorization: Bearer <INNOCLUB_METRICS_TOKEN>``.
    The token is checked first, so a scrape needs no session or database."""
    token = settings.INNOCLUB_METRICS_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and given:
        return hmac.compare_digest(given.strip().encode(), token.encode())
    return is_staff(request.user)


# Views from Django and libraries, by URL name prefix: they enforce their own
# access and are declared here so that the URL walker knows about them.
EXTERNAL_RULES: dict[str, Rule] = {
    # The admin checks is_staff on every view; StaffTwoFactorMiddleware adds 2FA.
    "admin:": Rule.STAFF,
    # Every API operation names the callers it accepts (innoclub.api.auth) and
    # reads through the same selectors; tests/test_api_access.py checks each one.
    "api:": Rule.OBJECT,
}


# --- Ideas ---------------------------------------------------------------
# An idea is public, for members, or for a named group. Its authors and the
# evaluators the office asked always see it; the office sees everything.


def ideas_visible_condition(user: AnyUser) -> Q:
    """The condition on ``ideas.Idea`` rows ``user`` may see (no joins).

    The person's groups, ideas and evaluations are uncorrelated ``IN`` lists,
    not ``EXISTS`` per row: PostgreSQL estimated the per-row form at 500,000
    cost units on the large dataset and then scanned every search document
    for a member's search (150 ms) instead of reading the text index.
    """
    from innoclub.ideas.models import EvaluationAssignment, Idea, IdeaGroup

    if is_staff(user):
        return Q()
    condition = Q(visibility__in=visible_levels(user))
    if not (user.is_authenticated and user.is_active):
        return condition
    groups = IdeaGroup.members.through.objects.filter(user_id=user.pk)
    authored = Idea.authors.through.objects.filter(user_id=user.pk)
    evaluating = EvaluationAssignment.objects.filter(evaluator_id=user.pk)
    return (
        condition
        | Q(visibility="group", group_id__in=groups.values("ideagroup_id"))
        | Q(pk__in=authored.values("idea_id"))
        | Q(pk__in=evaluating.values("idea_id"))
    )


# Stages in which the authors still edit their idea's text; later the office does.
IDEA_AUTHOR_EDIT_STAGES = ("idee", "konzept", "zurueckgestellt")


def may_edit_idea(user: AnyUser, *, is_author: bool, stage: str) -> bool:
    if is_staff(user):
        return True
    return is_author and user.is_active and stage in IDEA_AUTHOR_EDIT_STAGES


def may_comment_idea(user: AnyUser) -> bool:
    """Everyone logged in who sees the idea: members, guests with expertise, the office."""
    return bool(user.is_authenticated and user.is_active)


def may_support_idea(user: AnyUser) -> bool:
    """ "Ich unterstütze" is a member's voice; guests and the office do not count."""
    return bool(user.is_authenticated and user.is_active and user.is_member)


def may_declare_pilot_interest(user: AnyUser) -> bool:
    """A member speaks for the municipality their account belongs to."""
    return may_support_idea(user) and getattr(user, "municipality_id", None) is not None


# --- Pilots and adoptions -----------------------------------------------
# A pilot is public or for members (``filter_visible``); its adoptions follow
# it. Contact people are members named on the pilot: they edit it with the
# office. A member declares adoptions only for their own municipality.


def may_edit_pilot(user: AnyUser, *, is_contact: bool) -> bool:
    if is_staff(user):
        return True
    return is_contact and is_member(user)


def may_adopt_pilot(user: AnyUser) -> bool:
    """A member speaks for the municipality their account belongs to."""
    return may_declare_pilot_interest(user)


def may_edit_adoption(user: AnyUser, *, municipality_id: int) -> bool:
    if is_staff(user):
        return True
    return may_adopt_pilot(user) and getattr(user, "municipality_id", None) == municipality_id


def may_verify_adoption(user: AnyUser) -> bool:
    return is_staff(user)


def may_see_contact(user: AnyUser, *, public_listing: bool) -> bool:
    """Members see every contact person; others only those who agreed to be named."""
    return is_member(user) or public_listing


# --- Profiles -------------------------------------------------------------


def profile_of(person: User) -> Profile | None:
    """The person's profile, or None for accounts without one (office staff)."""
    from innoclub.network.models import Profile

    try:
        return person.profile
    except Profile.DoesNotExist:
        return None


def may_open_profile(viewer: AnyUser, person: User) -> bool:
    """Whether ``/mitglieder/<id>/`` opens for ``viewer`` (``network.selectors``):
    members and guests with a profile, in the directory, or the viewer's own; the
    office sees all. Links to a person's profile are shown only then."""
    if not is_member(viewer) or person.is_staff or not person.is_active:
        return False
    profile = profile_of(person)
    if profile is None:
        return False
    return is_staff(viewer) or viewer.pk == person.pk or profile.in_directory
