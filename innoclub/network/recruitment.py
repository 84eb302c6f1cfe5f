"""Recruitment of new members: nomination → review → invitation → onboarding.

Writes only. Every function takes keyword-only arguments, runs in one
transaction and lists its side effects and locks. Refusals raise
``RecruitmentError`` with a message for the person who tried (German through
the catalogue); nothing has been changed when one is raised.

Locking order, everywhere: the nomination row first, then its invitations.
Keeping one order means that a staff member revoking an invitation and the
invitee accepting it at the same moment wait for each other instead of
deadlocking.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innoclub.accounts.models import Role, User, normalize_email
from innoclub.accounts.services import user_create
from innoclub.core.emails import email_send
from innoclub.network.models import (
    Invitation,
    Municipality,
    Nomination,
    NominationState,
    Profile,
    Topic,
)
from innoclub.network.services import profile_update

TOKEN_BYTES = 32


class RecruitmentError(Exception):
    """A step of the recruitment was refused; ``message`` says why, in plain words."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class InvitationUnusable(RecruitmentError):
    """The invitation link cannot be used. ``code`` is one of
    ``unknown`` (tampered or never issued), ``expired``, ``revoked``, ``used``
    and ``account_exists``."""


# --- Helpers ----------------------------------------------------------------


def invitation_days() -> int:
    """How many days an invitation link stays valid (setting INNOCLUB_INVITATION_DAYS)."""
    return int(settings.INNOCLUB_INVITATION_DAYS)


def token_hash(token: str) -> str:
    """The SHA-256 of an invitation token: the only form in which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_unknown() -> InvitationUnusable:
    """The refusal for a token that was never issued (or was tampered with)."""
    return InvitationUnusable(
        _("This invitation link is not valid. Please check that you opened the complete link."),
        code="unknown",
    )


def invitation_check(invitation: Invitation) -> None:
    """Raise ``InvitationUnusable`` unless the invitation can still be accepted."""
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("This invitation has already been used. Please sign in with your e-mail address."),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _(
                "This invitation link is no longer valid: the club office has withdrawn it or "
                "sent you a newer one. Please use the link from the most recent e-mail."
            ),
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(
            _(
                "This invitation has expired. Please contact the club office; it will gladly "
                "send you a new one."
            ),
            code="expired",
        )


def _account_exists(email: str) -> bool:
    return User.objects.filter(email=normalize_email(email)).exists()


def _lock_nomination(nomination: Nomination) -> Nomination:
    # Only the nomination row is locked, not the member and municipality joined to it.
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("nominated_by", "municipality")
        .get(pk=nomination.pk)
    )


def _set_state(nomination: Nomination, state: str, *, fields: Iterable[str] = ()) -> None:
    nomination.state = state
    nomination.state_changed_at = timezone.now()
    nomination.save(update_fields=["state", "state_changed_at", *fields])


def _revoke_open_invitations(nomination: Nomination) -> int:
    return (
        Invitation.objects.select_for_update()
        .filter(nomination=nomination, accepted_at__isnull=True, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


_ALREADY_NOMINATED = gettext_lazy(
    "This person has already been nominated and the club office is looking at the "
    "nomination. There is nothing more you need to do."
)


# --- Nomination -------------------------------------------------------------


def nomination_create(
    *,
    nominated_by: User,
    first_name: str,
    last_name: str,
    email: str,
    reason: str,
    function: str = "",
    position: str = "",
    municipality: Municipality | None = None,
    organisation: str = "",
) -> Nomination:
    """A member proposes a person for membership.

    Side effects: one Nomination row in state "nominated", e-mail stored
    lower-case. Refused (nothing stored) when the address belongs to an
    account or to an open nomination; the partial unique constraint
    ``nomination_one_open_per_email`` catches a simultaneous double submit,
    which gets the same message.
    """
    email = normalize_email(email)
    if _account_exists(email):
        raise RecruitmentError(
            _(
                "This person already has an account on innoclub, so there is no need to "
                "nominate them."
            ),
            code="account_exists",
        )
    if Nomination.objects.filter(email=email, state__in=Nomination.OPEN_STATES).exists():
        raise RecruitmentError(str(_ALREADY_NOMINATED), code="already_nominated")
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                nominated_by=nominated_by,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                reason=reason.strip(),
                function=function,
                position=position.strip(),
                municipality=municipality,
                organisation=organisation.strip(),
            )
    except IntegrityError:
        raise RecruitmentError(str(_ALREADY_NOMINATED), code="already_nominated") from None


@transaction.atomic
def nomination_accept(*, nomination: Nomination, decided_by: User, reason: str = "") -> Nomination:
    """The club office accepts a nomination; the invitation is sent as a next step.

    Locks the nomination row. Side effects: state "accepted", decided by/at
    and the (optional) reason are stored. Refused unless the nomination is
    still waiting for a decision (a colleague may just have decided it).
    """
    locked = _lock_nomination(nomination)
    if locked.state != NominationState.NOMINATED:
        raise RecruitmentError(_("This nomination has already been decided."), code="state")
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason.strip()
    _set_state(
        locked,
        NominationState.ACCEPTED,
        fields=["decided_by", "decided_at", "decision_reason"],
    )
    return locked


@transaction.atomic
def nomination_decline(*, nomination: Nomination, decided_by: User, reason: str) -> Nomination:
    """The club office declines a nomination, with a reason the nominating member sees.

    Locks the nomination row. Side effects: state "declined", decided by/at
    and the reason are stored; the address is free for a later nomination.
    Refused without a reason, and for nominations already invited, joined or
    declined (an invitation has to be withdrawn first).
    """
    reason = reason.strip()
    if not reason:
        raise RecruitmentError(
            _("Please give a reason for declining. The nominating member will see it."),
            code="reason_missing",
        )
    locked = _lock_nomination(nomination)
    if locked.state not in (NominationState.NOMINATED, NominationState.ACCEPTED):
        raise RecruitmentError(
            _("This nomination can no longer be declined. Withdraw an open invitation first."),
            code="state",
        )
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    _set_state(
        locked,
        NominationState.DECLINED,
        fields=["decided_by", "decided_at", "decision_reason"],
    )
    return locked


# --- Invitation -------------------------------------------------------------


def _invitation_create(nomination: Nomination, sent_by: User) -> Invitation:
    if _account_exists(nomination.email):
        raise RecruitmentError(
            _("An account with this e-mail address exists by now; no invitation is needed."),
            code="account_exists",
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        nomination=nomination,
        email=nomination.email,
        token_hash=token_hash(token),
        created_by=sent_by,
        expires_at=timezone.now() + timedelta(days=invitation_days()),
    )
    email_send(
        to=[invitation.email],
        subject=gettext_lazy("Your invitation to the Innovators Club"),
        template="network/email/invitation",
        context={
            "nomination": nomination,
            "nominated_by": nomination.nominated_by,
            "token": token,
            "expires_at": invitation.expires_at,
        },
        reply_to=[settings.INNOCLUB_OFFICE_EMAIL],
    )
    return invitation


@transaction.atomic
def invitation_send(*, nomination: Nomination, sent_by: User) -> Invitation:
    """Send the invitation to an accepted nominee.

    Locks the nomination row, so that two staff members clicking at once
    cannot create two invitations (the partial unique constraint
    ``invitation_one_open_per_nomination`` stands behind it). Side effects:
    one Invitation row holding only the SHA-256 of a fresh single-use token,
    valid for ``invitation_days()``; state "invited"; the invitation e-mail,
    sent after commit, with the link built from SITE_URL.
    """
    locked = _lock_nomination(nomination)
    if locked.state == NominationState.INVITED:
        raise RecruitmentError(_("The invitation has already been sent."), code="state")
    if locked.state != NominationState.ACCEPTED:
        raise RecruitmentError(
            _("Only accepted nominations can be invited."),
            code="state",
        )
    invitation = _invitation_create(locked, sent_by)
    _set_state(locked, NominationState.INVITED)
    return invitation


@transaction.atomic
def invitation_resend(*, nomination: Nomination, sent_by: User) -> Invitation:
    """Send a new invitation link; the previous link stops working.

    Locks the nomination row and its open invitations. Side effects: the open
    invitation (also an expired one) is revoked, a new one with a new token
    is created and e-mailed after commit; the state stays "invited", its
    clock starts again.
    """
    locked = _lock_nomination(nomination)
    if locked.state != NominationState.INVITED:
        raise RecruitmentError(
            _("There is no open invitation to send again."),
            code="state",
        )
    _revoke_open_invitations(locked)
    invitation = _invitation_create(locked, sent_by)
    _set_state(locked, NominationState.INVITED)
    return invitation


@transaction.atomic
def invitation_revoke(*, nomination: Nomination, revoked_by: User) -> Nomination:
    """Withdraw the open invitation; its link stops working at once.

    Locks the nomination row and its open invitations. Side effects:
    ``revoked_at`` is set on the open invitation and the nomination goes back
    to "accepted", from where the office can invite again or decline.
    ``revoked_by`` is the staff member acting; the model has no field for it
    yet, so it is not stored.
    """
    locked = _lock_nomination(nomination)
    if locked.state != NominationState.INVITED or not _revoke_open_invitations(locked):
        raise RecruitmentError(
            _("There is no open invitation to withdraw."),
            code="state",
        )
    _set_state(locked, NominationState.ACCEPTED)
    return locked


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    first_name: str,
    last_name: str,
    password: str,
    profile_fields: dict[str, Any],
    topics: Iterable[Topic],
    photo: ContentFile[bytes] | None = None,
    language: str = "de",
) -> User:
    """The invitee accepts: account, profile and membership in one transaction.

    Locks the nomination row and then the invitation row, and checks the
    invitation again under the lock, so a token works exactly once, also when
    it is sent twice at the same moment. Side effects: a User (role member,
    e-mail = the invited address, password hashed, municipality from the
    nomination), its Profile with ``profile_fields``, member_since today, the
    topics and the re-encoded photo (through ``profile_update``), ``accepted_at`` on the
    invitation, the nomination "joined" with ``joined_user``. Raises
    ``InvitationUnusable`` (nothing changed) for unknown, expired, revoked or
    used tokens, and when an account for the address exists meanwhile.
    """
    digest = token_hash(token)
    found = Invitation.objects.filter(token_hash=digest).only("nomination_id").first()
    if found is None:
        raise invitation_unknown()
    nomination = Nomination.objects.select_for_update().get(pk=found.nomination_id)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation_check(invitation)
    if _account_exists(invitation.email):
        raise InvitationUnusable(
            _("There is already an account for this e-mail address. Please sign in."),
            code="account_exists",
        )

    user = user_create(
        email=invitation.email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.MEMBER,
        municipality=nomination.municipality,
    )
    if language != user.language:
        user.language = language
        user.save(update_fields=["language"])

    profile_update(
        profile=Profile(user=user, member_since=timezone.localdate()),
        fields=profile_fields,
        topics=list(topics),
        photo=photo,
    )

    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    nomination.joined_user = user
    _set_state(nomination, NominationState.JOINED, fields=["joined_user"])
    return user
