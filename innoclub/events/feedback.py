"""The survey after an event: who may answer, storing an answer anonymously, and the results.

Anonymity: ``FeedbackSubmission`` records only *that* a person answered (so
nobody answers twice); ``FeedbackResponse`` holds the answer without a person
and without a time of day. The results hide every average that rests on fewer
than ``MIN_GROUP`` ratings, and list comments alphabetically, so their order
says nothing about who wrote first.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.events.models import (
    Event,
    FeedbackResponse,
    FeedbackSubmission,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionRating,
)

MIN_GROUP = 3
RATINGS = range(1, 6)


class FeedbackError(Exception):
    """The survey cannot be answered; ``str()`` is a German message."""


def rated_sessions(event: Event) -> list[Session]:
    """The sessions one can rate: everything but breaks, in program order."""
    return list(
        event.sessions.exclude(kind=SessionKind.BREAK).order_by("starts_at", "room", "title")
    )


def feedback_refusal(*, event: Event, user: User, today: datetime.date | None = None) -> str:
    """Why the person may not answer (German), or "" if they may."""
    today = today or timezone.localdate()
    confirmed = Registration.objects.filter(
        event=event, user=user, status=RegistrationStatus.CONFIRMED
    ).exists()
    if not confirmed:
        return _("Only confirmed participants of this event can answer the survey.")
    if event.starts_on > today:
        return _("The survey opens on the first day of the event.")
    return ""


def feedback_given(*, event: Event, user: User) -> bool:
    return FeedbackSubmission.objects.filter(event=event, user=user).exists()


@transaction.atomic
def feedback_submit(
    *,
    event: Event,
    user: User,
    overall: int,
    session_ratings: Mapping[int, int],
    comment: str = "",
    today: datetime.date | None = None,
) -> FeedbackResponse:
    """Store one person's answer, once.

    ``session_ratings`` maps session ids of the event (breaks left out) to 1–5;
    others are ignored. Raises FeedbackError when the person may not answer or
    already has; then nothing is stored. The unique constraint on
    FeedbackSubmission catches a double submit that races.
    Side effects: inserts one FeedbackSubmission, one FeedbackResponse and its
    SessionRatings.
    """
    refusal = feedback_refusal(event=event, user=user, today=today)
    if refusal:
        raise FeedbackError(refusal)
    if overall not in RATINGS:
        raise FeedbackError(_("Please rate the event as a whole from 1 to 5."))
    try:
        with transaction.atomic():
            FeedbackSubmission.objects.create(event=event, user=user)
    except IntegrityError:
        raise FeedbackError(_("You have already answered this survey. Thank you!")) from None
    response = FeedbackResponse.objects.create(
        event=event, overall=overall, comment=comment.strip()[:4000]
    )
    allowed = {session.pk for session in rated_sessions(event)}
    SessionRating.objects.bulk_create(
        SessionRating(response=response, session_id=session_id, rating=rating)
        for session_id, rating in session_ratings.items()
        if session_id in allowed and rating in RATINGS
    )
    return response


@dataclass(frozen=True)
class SessionResult:
    session: Session
    count: int
    average: float | None  # None while fewer than MIN_GROUP people rated it


@dataclass(frozen=True)
class FeedbackResults:
    answers: int
    overall_average: float | None  # None while fewer than MIN_GROUP answers
    sessions: list[SessionResult]
    comments: list[str]
    min_group: int = MIN_GROUP


def feedback_results(event: Event) -> FeedbackResults:
    """The aggregated survey of an event; at most three queries whatever its size."""
    figures = FeedbackResponse.objects.filter(event=event).aggregate(
        answers=Count("id"), average=Avg("overall")
    )
    answers = figures["answers"]
    sessions = (
        event.sessions.exclude(kind=SessionKind.BREAK)
        .annotate(
            rating_count=Count("ratings", filter=Q(ratings__response__event=event)),
            rating_average=Avg("ratings__rating", filter=Q(ratings__response__event=event)),
        )
        .order_by("starts_at", "room", "title")
    )
    results = [
        SessionResult(
            session=session,
            count=session.rating_count,
            average=(
                round(session.rating_average, 1) if session.rating_count >= MIN_GROUP else None
            ),
        )
        for session in sessions
    ]
    enough = answers >= MIN_GROUP
    # With one or two answers a comment would point to its author: shown from three on.
    comments = (
        sorted(
            FeedbackResponse.objects.filter(event=event)
            .exclude(comment="")
            .values_list("comment", flat=True),
            key=str.casefold,
        )
        if enough
        else []
    )
    return FeedbackResults(
        answers=answers,
        overall_average=round(figures["average"], 1) if enough else None,
        sessions=results,
        comments=comments,
    )
