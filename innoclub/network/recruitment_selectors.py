"""Reads of the recruitment: a member's own nominations, the office's pipeline, invitations.

Access: the member's list is filtered to the member's own nominations (there
is no way to ask for another member's); the pipeline and the review are for
the club office, which the views declare with ``Rule.STAFF``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from innoclub.accounts.models import User
from innoclub.network.models import Invitation, Nomination, NominationState
from innoclub.network.recruitment import invitation_check, invitation_unknown, token_hash

# A nomination that waits longer than this in an open stage is highlighted.
OVERDUE_DAYS = 14

PIPELINE_ORDER: tuple[str, ...] = (
    NominationState.NOMINATED,
    NominationState.ACCEPTED,
    NominationState.INVITED,
    NominationState.JOINED,
    NominationState.DECLINED,
)


def days_since(moment: datetime, *, now: datetime | None = None) -> int:
    """Whole calendar days (in the site's time zone) from ``moment`` until today."""
    today = timezone.localdate(now or timezone.now())
    return (today - timezone.localdate(moment)).days


def invitation_status(invitation: Invitation, *, now: datetime | None = None) -> str:
    """``open``, ``expired``, ``revoked`` or ``accepted``."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


# --- The member's own nominations -------------------------------------------


def nomination_list_for_member(*, user: User) -> QuerySet[Nomination]:
    """The nominations ``user`` made, newest first; nobody else's."""
    return (
        Nomination.objects.filter(nominated_by=user)
        .select_related("municipality")
        .order_by("-created_at", "-pk")
    )


# --- The office's pipeline ---------------------------------------------------


@dataclass(frozen=True)
class PipelineItem:
    nomination: Nomination
    days: int
    overdue: bool
    # The usable-or-expired invitation of an invited nomination.
    invitation: Invitation | None = None
    invitation_expired: bool = False


@dataclass
class PipelineStage:
    state: str
    items: list[PipelineItem] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def nomination_pipeline() -> list[PipelineStage]:
    """Every nomination, grouped by state in the order of the process.

    Two queries whatever the number of nominations: the nominations with
    their nominating member and municipality, and the open invitations.
    """
    now = timezone.now()
    nominations = Nomination.objects.select_related("nominated_by", "municipality").order_by(
        "state_changed_at", "pk"
    )
    open_invitations = {
        invitation.nomination_id: invitation
        for invitation in Invitation.objects.filter(
            nomination__state=NominationState.INVITED,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
    }
    stages = {state: PipelineStage(state=state) for state in PIPELINE_ORDER}
    for nomination in nominations:
        days = days_since(nomination.state_changed_at, now=now)
        invitation = open_invitations.get(nomination.pk)
        stages[nomination.state].items.append(
            PipelineItem(
                nomination=nomination,
                days=days,
                overdue=nomination.state in Nomination.OPEN_STATES and days > OVERDUE_DAYS,
                invitation=invitation,
                invitation_expired=invitation is not None and invitation.expires_at <= now,
            )
        )
    # Finished cases: the most recent first; open ones: the longest waiting first.
    for state in (NominationState.JOINED, NominationState.DECLINED):
        stages[state].items.reverse()
    return list(stages.values())


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    status: str


@dataclass(frozen=True)
class NominationReview:
    nomination: Nomination
    days: int
    overdue: bool
    invitations: list[InvitationRow]

    @property
    def open_invitation(self) -> InvitationRow | None:
        """The invitation not yet accepted or withdrawn (it may have expired)."""
        for row in self.invitations:
            if row.status in ("open", "expired"):
                return row
        return None


def nomination_review_get(*, pk: int) -> NominationReview:
    """One nomination with its invitations (newest first) for the office; 404 if missing."""
    nomination = (
        Nomination.objects.select_related(
            "nominated_by", "municipality", "decided_by", "joined_user"
        )
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("created_by").order_by(
                    "-created_at", "-pk"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if nomination is None:
        raise Http404
    now = timezone.now()
    days = days_since(nomination.state_changed_at, now=now)
    return NominationReview(
        nomination=nomination,
        days=days,
        overdue=nomination.state in Nomination.OPEN_STATES and days > OVERDUE_DAYS,
        invitations=[
            InvitationRow(invitation=invitation, status=invitation_status(invitation, now=now))
            for invitation in nomination.invitations.all()
        ],
    )


def nomination_get(*, pk: int) -> Nomination:
    """The nomination an office action refers to; 404 if missing. (The services lock it.)"""
    nomination = Nomination.objects.filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


# --- Invitations --------------------------------------------------------------


def invitation_get_usable(*, token: str) -> Invitation:
    """The invitation a link stands for, if it can still be accepted.

    Raises ``InvitationUnusable`` for unknown (or tampered) tokens and for
    expired, revoked and used invitations.
    """
    invitation = (
        Invitation.objects.select_related("nomination__nominated_by", "nomination__municipality")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise invitation_unknown()
    invitation_check(invitation)
    return invitation
