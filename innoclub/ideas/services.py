"""Writes of the idea forge: ideas, their files and their stage.

Engagement (comments, support, interest, following) is in ``engagement.py``,
evaluation in ``evaluation.py``, notifications in ``notifications.py``.
Refusals raise ``ValidationError`` with a German message and change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innoclub.accounts.models import User
from innoclub.core.access import Visibility
from innoclub.events.documentation import file_check
from innoclub.events.models import Session
from innoclub.ideas import notifications
from innoclub.ideas.models import GROUP, Idea, IdeaAttachment, IdeaGroup, Stage, StageChange
from innoclub.ideas.stages import may_follow
from innoclub.network.models import Municipality, Topic
from innoclub.pilots.models import PilotProject
from innoclub.pilots.services import pilot_create

# What the idea form edits besides topics and co-authors.
TEXT_FIELDS = ("title", "problem", "proposal", "kind", "context")
CONCEPT_FIELDS = Idea.CONCEPT_FIELDS
CONCEPT_LABELS = {name: Idea._meta.get_field(name).verbose_name for name in CONCEPT_FIELDS}  # type: ignore[union-attr]
# Files attached to an idea: sketches and concept papers, smaller than forum documentation.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Without these a concept is not ready to be piloted.
PILOT_NEEDS = ("goals", "success_criteria")


def _check_sharing(visibility: str, group: IdeaGroup | None) -> None:
    if visibility == GROUP and group is None:
        raise ValidationError({"group": _("Please choose the group to share the idea with.")})


@transaction.atomic
def idea_create(
    *,
    author: User,
    title: str,
    problem: str,
    proposal: str,
    kind: str,
    topics: Iterable[Topic] = (),
    co_authors: Iterable[User] = (),
    municipality: Municipality | None = None,
    context: str = "",
    origin_session: Session | None = None,
    visibility: str = Visibility.MEMBERS,
    group: IdeaGroup | None = None,
    created_by: User | None = None,
) -> Idea:
    """Create an idea in the stage Idee with ``author`` and ``co_authors`` as its authors.

    ``created_by`` is the person who entered it when that is not ``author``
    (the club office writing down a member's idea); it defaults to ``author``.
    Side effects: inserts the idea, its topic and author links, and the first
    entry of its stage history.
    """
    _check_sharing(visibility, group)
    creator = created_by or author
    idea = Idea.objects.create(
        title=title.strip(),
        problem=problem.strip(),
        proposal=proposal.strip(),
        kind=kind,
        municipality=municipality,
        context=context.strip(),
        origin_session=origin_session,
        visibility=visibility,
        group=group if visibility == GROUP else None,
        created_by=creator,
    )
    idea.topics.set(list(topics))
    idea.authors.set({author, *co_authors})
    StageChange.objects.create(idea=idea, from_stage="", to_stage=Stage.IDEA, changed_by=creator)
    return idea


@transaction.atomic
def idea_update(
    *,
    idea: Idea,
    fields: dict[str, Any],
    topics: Iterable[Topic] | None = None,
    authors: Iterable[User] | None = None,
) -> Idea:
    """Save the edited text, concept, sharing, topics and authors of an idea.

    ``fields`` may hold the text fields, the concept fields, ``municipality``,
    ``origin_session``, ``visibility`` and ``group``. The stage is never set
    here (``idea_move_to_stage``). Side effects: updates the idea row and,
    when given, its topic and author links.
    """
    allowed = {
        *TEXT_FIELDS,
        *CONCEPT_FIELDS,
        "municipality",
        "origin_session",
        "visibility",
        "group",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"idea_update cannot set {sorted(unknown)}")
    visibility = fields.get("visibility", idea.visibility)
    group = fields.get("group", idea.group)
    _check_sharing(visibility, group)
    for name, value in fields.items():
        setattr(idea, name, value.strip() if isinstance(value, str) else value)
    if visibility != GROUP:
        idea.group = None
    idea.save()
    if topics is not None:
        idea.topics.set(list(topics))
    if authors is not None:
        people = set(authors)
        if not people:
            raise ValidationError({"authors": _("An idea needs at least one author.")})
        idea.authors.set(people)
    return idea


def attachment_add(*, idea: Idea, upload: UploadedFile, by: User) -> IdeaAttachment:
    """Store a checked file under a random name.

    Ideas take files up to ``ATTACHMENT_MAX_BYTES`` (sketches, concept papers),
    below the 25 MB of forum documentation; type and content are checked as
    there. Raises ValidationError (German) when the type, content or size is
    refused; then nothing is stored. Side effects: writes the file and inserts
    one row.
    """
    if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 10 MB. Please choose a smaller file or compress it.")
        )
    content_type = file_check(upload)
    return IdeaAttachment.objects.create(
        idea=idea,
        file=upload,
        name=(upload.name or "datei")[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )


def attachment_delete(*, attachment: IdeaAttachment) -> None:
    """Side effects: deletes the row now and the stored file after commit."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _pilot_for(
    idea: Idea, *, pilot: PilotProject | None, pilot_title: str, by: User
) -> PilotProject:
    if pilot is not None:
        return pilot
    authors = [person for person in idea.authors.all() if person.is_member and person.is_active]
    return pilot_create(
        title=pilot_title.strip() or idea.title,
        created_by=by,
        summary=idea.proposal,
        lead_municipality=idea.municipality,
        visibility=Visibility.PUBLIC
        if idea.visibility == Visibility.PUBLIC
        else Visibility.MEMBERS,
        topics=idea.topics.all(),
        contacts=authors,
    )


@transaction.atomic
def idea_move_to_stage(
    *,
    idea: Idea,
    to_stage: str,
    rationale: str,
    by: User,
    pilot: PilotProject | None = None,
    pilot_title: str = "",
) -> StageChange:
    """Move an idea to the next stage, with a rationale its authors read.

    The idea's row is locked first, so two people moving it at once cannot
    both start from the same stage. Moving to Pilot needs the concept's goals
    and success criteria, and links ``pilot`` or creates a pilot project
    (titled ``pilot_title``, by default the idea's title).
    Side effects: updates the idea, inserts a stage change, may insert a pilot
    project, and notifies the authors and followers (in-app and by e-mail
    after commit). Raises ValidationError (German) and changes nothing when the
    state machine forbids the step.
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if not may_follow(locked.stage, to_stage):
        raise ValidationError(
            _("An idea in the stage “%(from)s” cannot move to “%(to)s”.")
            % {"from": Stage(locked.stage).label, "to": Stage(to_stage).label}
            if to_stage in Stage.values
            else _("This stage does not exist.")
        )
    if not rationale.strip():
        raise ValidationError({"rationale": _("Please give the authors a reason for this step.")})
    if to_stage == Stage.PILOT:
        missing = [
            str(CONCEPT_LABELS[name]) for name in PILOT_NEEDS if not getattr(locked, name).strip()
        ]
        if missing:
            raise ValidationError(
                _("Before the pilot the concept needs: %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
        locked.pilot = _pilot_for(locked, pilot=pilot, pilot_title=pilot_title, by=by)
    change = StageChange.objects.create(
        idea=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        rationale=rationale.strip(),
        changed_by=by,
    )
    locked.stage = to_stage
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "stage_changed_at", "pilot", "updated_at"])
    idea.stage, idea.stage_changed_at, idea.pilot = (
        locked.stage,
        locked.stage_changed_at,
        locked.pilot,
    )
    notifications.notify_stage_change(change=change)
    return change
