"""The state machine of the idea forge: which stage may follow which.

Idee → Konzept → Pilot → Transfer is the main line; an idea can be deferred
(zurückgestellt) or rejected (abgelehnt) from any open stage, taken back one
step, resumed from deferral, and a rejected idea can be reopened as an idea.
Transfer is the end of the line.
"""

from __future__ import annotations

from innoclub.ideas.models import Stage

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.IDEA: (Stage.CONCEPT, Stage.DEFERRED, Stage.REJECTED),
    Stage.CONCEPT: (Stage.PILOT, Stage.IDEA, Stage.DEFERRED, Stage.REJECTED),
    Stage.PILOT: (Stage.TRANSFER, Stage.CONCEPT, Stage.DEFERRED, Stage.REJECTED),
    Stage.TRANSFER: (),
    Stage.DEFERRED: (Stage.IDEA, Stage.CONCEPT, Stage.REJECTED),
    Stage.REJECTED: (Stage.IDEA,),
}


def next_stages(stage: str) -> tuple[str, ...]:
    """The stages an idea in ``stage`` may move to, in the order to offer them."""
    return TRANSITIONS[stage]


def may_follow(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, ())
