"""Evaluation of ideas: the office names criteria with weights and asks
evaluators; each evaluator scores every criterion in use from 1 to 5 and may
leave a note that only the office reads.

An idea's score is the weighted mean over the submitted evaluations
(``selectors.idea_scores``). Refusals raise ``ValidationError`` (German) and
change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.ideas import notifications
from innoclub.ideas.models import Criterion, EvaluationAssignment, Idea, Score

SCORE_MIN, SCORE_MAX = 1, 5


@transaction.atomic
def evaluator_assign(*, idea: Idea, evaluator: User, by: User) -> EvaluationAssignment:
    """Ask ``evaluator`` to score ``idea``; asking twice returns the first request.

    Evaluators see the idea whatever its visibility (``ideas_visible_condition``).
    Side effects: inserts the assignment and notifies the evaluator.
    """
    if not evaluator.is_active:
        raise ValidationError({"evaluator": _("This account is deactivated.")})
    # get_or_create also settles a simultaneous second request through the unique constraint.
    assignment, created = EvaluationAssignment.objects.get_or_create(
        idea=idea, evaluator=evaluator, defaults={"assigned_by": by}
    )
    if created:
        notifications.notify_evaluation_assigned(assignment=assignment)
    return assignment


def evaluator_unassign(*, assignment: EvaluationAssignment) -> None:
    """Side effects: deletes the assignment with its scores."""
    assignment.delete()


@transaction.atomic
def evaluation_submit(
    *, assignment: EvaluationAssignment, scores: Mapping[int, int], note: str = ""
) -> EvaluationAssignment:
    """Store an evaluator's scores (criterion id → 1…5) and their note for the office.

    Every criterion in use needs a score; submitting again replaces the
    earlier scores. Side effects: locks the assignment, replaces its scores,
    sets ``submitted_at``.
    """
    locked = EvaluationAssignment.objects.select_for_update().get(pk=assignment.pk)
    criteria = list(Criterion.objects.filter(is_active=True))
    if not criteria:
        raise ValidationError(_("The club office has not defined any criteria yet."))
    known = {criterion.pk for criterion in criteria}
    unknown = set(scores) - known
    if unknown:
        raise ValidationError(_("Please score only the criteria listed."))
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not SCORE_MIN <= value <= SCORE_MAX:
            errors[f"criterion_{criterion.pk}"] = _(
                "Please give “%(criterion)s” a score from %(min)d to %(max)d."
            ) % {"criterion": criterion.name, "min": SCORE_MIN, "max": SCORE_MAX}
    if errors:
        raise ValidationError(errors)
    if len(note) > 3000:
        raise ValidationError({"note": _("The note can have at most 3000 characters.")})
    locked.scores.all().delete()
    Score.objects.bulk_create(
        Score(assignment=locked, criterion=criterion, value=scores[criterion.pk])
        for criterion in criteria
    )
    locked.note = note.strip()
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["note", "submitted_at"])
    assignment.note, assignment.submitted_at = locked.note, locked.submitted_at
    return locked
