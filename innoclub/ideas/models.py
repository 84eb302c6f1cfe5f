"""The idea forge: ideas from the first spark through concept to pilot and
transfer, with their discussion, support, evaluation and notifications.

Counters on ``Idea`` (supports, visible comments) are kept by the services in
the same transaction as the row they count, so lists can sort by them without
a join.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innoclub.core.access import Visibility
from innoclub.network.models import Municipality, Topic


class Stage(models.TextChoices):
    IDEA = "idee", _("Idea")
    CONCEPT = "konzept", _("Concept")
    PILOT = "pilot", _("Pilot")
    TRANSFER = "transfer", _("Transfer")
    DEFERRED = "zurueckgestellt", _("Deferred")
    REJECTED = "abgelehnt", _("Rejected")


# The main line of the forge, in order; DEFERRED and REJECTED lie aside.
PIPELINE: tuple[str, ...] = (Stage.IDEA, Stage.CONCEPT, Stage.PILOT, Stage.TRANSFER)


class Kind(models.TextChoices):
    TECHNICAL = "technisch", _("technical")
    SOCIAL = "sozial", _("social")
    ORGANISATIONAL = "organisatorisch", _("organisational")


# Ideas know one level beyond the shared ones: a named group (see IdeaGroup).
GROUP = "group"
IDEA_VISIBILITIES = [
    (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
    (Visibility.MEMBERS.value, Visibility.MEMBERS.label),
    (GROUP, _("A named group")),
]


class IdeaGroup(models.Model):
    """A named circle of people an idea can be shared with (a working group)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="idea_groups"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Idea(models.Model):
    CONCEPT_FIELDS: ClassVar[tuple[str, ...]] = (
        "goals",
        "audience",
        "resources",
        "risks",
        "success_criteria",
    )

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem it solves"), max_length=5000)
    proposal = models.TextField(_("the proposal"), max_length=10000)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="ideas"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_ideas"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    context = models.TextField(_("situation in the municipality"), max_length=3000, blank=True)
    origin_session = models.ForeignKey(
        "events.Session",
        verbose_name=_("born in the forum session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=IDEA_VISIBILITIES, default=Visibility.MEMBERS
    )
    group = models.ForeignKey(
        IdeaGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(_("in this stage since"), auto_now_add=True)
    # The Konzept stage.
    goals = models.TextField(_("goals"), max_length=5000, blank=True)
    audience = models.TextField(_("target group"), max_length=3000, blank=True)
    resources = models.TextField(_("resources needed"), max_length=5000, blank=True)
    risks = models.TextField(_("risks"), max_length=5000, blank=True)
    success_criteria = models.TextField(_("success criteria"), max_length=5000, blank=True)
    pilot = models.ForeignKey(
        "pilots.PilotProject",
        verbose_name=_("pilot project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "-created_at"]),
            models.Index(fields=["-support_count"]),
            models.Index(fields=["-comment_count"]),
            models.Index(fields=["-created_at"]),
            # Who may see it, newest first: the API's and the list's counts and
            # pages read this index instead of the whole table.
            models.Index(fields=["visibility", "created_at", "id"], name="idea_visibility_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="ideas_stage_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="ideas_kind_valid"),
            # A group is named exactly when the idea is shared with a group.
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"], group__isnull=True)
                | Q(visibility="group", group__isnull=False),
                name="ideas_group_iff_group_visibility",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="ideas_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_set_aside(self) -> bool:
        return self.stage in (Stage.DEFERRED, Stage.REJECTED)


class StageChange(models.Model):
    """One step in an idea's history; the first has no ``from_stage``."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    rationale = models.TextField(_("rationale"), max_length=3000, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["to_stage", "changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_stage__in=Stage.values), name="ideas_stage_change_to_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '–'} → {self.to_stage}"


def _attachment_path(instance: IdeaAttachment, filename: str) -> str:
    # A random name: files are served only through the idea's access check.
    return f"idea_files/{uuid.uuid4().hex}"


class IdeaAttachment(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A comment or, with ``parent``, a reply to one (one level deep)."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "created_at"]),
            # A discussion's page of threads, in order, without the replies.
            models.Index(
                fields=["idea", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="comment_thread_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="ideas_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="ideas_comment_hidden_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="ideas_comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Support(models.Model):
    """ "Ich unterstütze": at most one per member and idea, held by the database."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_one_support_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class PilotInterest(models.Model):
    """ "Wir würden mitmachen": a municipality would pilot the idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="interests")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="idea_interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="idea_interests",
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interest in piloting")
        verbose_name_plural = _("interests in piloting")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "municipality"], name="ideas_one_interest_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} → {self.idea_id}"


class Follow(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="ideas_one_follow_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


# --- Notifications --------------------------------------------------------


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("immediately")
    DAILY = "daily", _("once a day (digest)")
    OFF = "off", _("no e-mails")


class NotificationSetting(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_notification_setting"
    )
    frequency = models.CharField(
        _("e-mails about ideas"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="ideas_frequency_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class NotificationKind(models.TextChoices):
    COMMENT = "comment", _("new comment")
    REPLY = "reply", _("reply to your comment")
    STAGE = "stage", _("stage changed")
    HIDDEN = "hidden", _("comment hidden")
    EVALUATION = "evaluation", _("asked to evaluate")


class Notification(models.Model):
    """An entry in a person's in-app list; e-mailed at once or in the digest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_notifications"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    stage_change = models.ForeignKey(
        StageChange, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the e-mail (immediate or digest) was queued, or when none is due.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["emailed_at", "recipient"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="ideas_notification_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


# --- Evaluation -----------------------------------------------------------


class Criterion(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("what evaluators look at"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="ideas_criterion_weight_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationAssignment(models.Model):
    """An evaluator asked by the office to score one idea; the note is for the office only."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_evaluations"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note for the club office"), max_length=3000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "evaluator"], name="ideas_one_evaluation_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_id} → {self.idea_id}"


class Score(models.Model):
    assignment = models.ForeignKey(
        EvaluationAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="ideas_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="ideas_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"
