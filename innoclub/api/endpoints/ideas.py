"""The idea forge: ideas, their discussion and "Ich unterstütze".

Every read starts from ``ideas.selectors`` (``ideas_visible``,
``idea_for_viewer``), so a token reaches exactly the ideas its owner sees on
/ideen/; hidden and missing ideas answer the same 404. Names follow the
idea's page (``person`` in ``ideas/templatetags/ideas.py``). A new idea passes
the web form's own checks (``IdeaForm``) before ``services.idea_create``;
support and comments go through ``ideas.engagement``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, cast

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from innoclub.accounts.models import User
from innoclub.api.auth import PUBLIC, WRITE, caller
from innoclub.api.common import (
    Input,
    Page,
    PageParams,
    cached_page,
    ordered,
    page_of,
    responses,
)
from innoclub.api.problems import Refused
from innoclub.api.refs import (
    SLUG,
    TEXT,
    Id,
    MunicipalityRef,
    PersonOut,
    PilotRef,
    Text,
    TopicRef,
    municipality_ref,
    pilot_ref,
    topic_ref,
)
from innoclub.core import access
from innoclub.core.access import AnyUser
from innoclub.ideas import engagement, selectors, services
from innoclub.ideas.engagement import COMMENT_MAX_LENGTH
from innoclub.ideas.forms import IdeaForm
from innoclub.ideas.models import Comment, Idea, Kind, Stage, StageChange
from innoclub.ideas.templatetags.ideas import _role_label

router = Router(tags=["Ideen"])

IdeaVisibility = Literal["public", "members", "group"]
# Ids in bodies: whole numbers only (no "1" or true), within the database's range.
BodyId = Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]
# No NUL characters: PostgreSQL cannot store them.


# --- Output -----------------------------------------------------------------


class OriginSessionOut(Schema):
    title: str
    event_title: str
    url: str


class StageChangeOut(Schema):
    from_stage: Stage | None = Field(description="null for the submission")
    to_stage: Stage
    rationale: str = Field(description="Why the club office took the step, for the authors")
    changed_at: datetime
    changed_by: PersonOut


class IdeaSummaryOut(Schema):
    id: int
    url: str
    title: str
    stage: Stage
    stage_label: str
    kind: Kind
    kind_label: str
    municipality: MunicipalityRef | None
    topics: list[TopicRef]
    authors: list[PersonOut] | None = Field(
        description="null where the idea list does not name authors (the public and guests)"
    )
    support_count: int
    comment_count: int = Field(description="Visible comments and replies")
    origin_session: OriginSessionOut | None = Field(
        description="The forum session the idea was born in, where you may see that forum"
    )
    created_at: datetime


class IdeaOut(IdeaSummaryOut):
    authors: list[PersonOut]
    problem: str = Field(description="Markdown")
    proposal: str = Field(description="Markdown")
    context: str = Field(description="The situation in the municipality (Markdown)")
    goals: str = Field(description="The concept (from the stage Konzept on), Markdown")
    audience: str
    resources: str
    risks: str
    success_criteria: str
    visibility: IdeaVisibility
    group: str | None = Field(description="The group the idea is shared with")
    born_at_forum: bool = Field(
        description="The idea comes from a forum session (also one you may not see)"
    )
    pilot: PilotRef | None = Field(description="The pilot project, where you may see it")
    history: list[StageChangeOut]
    supported: bool = Field(description="You support this idea")
    may_support: bool
    may_comment: bool


class ReplyOut(Schema):
    id: int
    parent: int | None = Field(description="The comment this one answers")
    author: PersonOut | None = Field(
        description="null for a hidden comment, except for its author and the club office"
    )
    body: str | None = Field(
        description="Markdown; null for a hidden comment, except for the club office"
    )
    hidden: bool
    hidden_reason: str | None = Field(description="For the comment's author and the club office")
    created_at: datetime
    edited_at: datetime | None


class CommentOut(ReplyOut):
    replies: list[ReplyOut]


class SupportOut(Schema):
    supported: bool
    support_count: int


def _person(viewer: AnyUser, person: User | None) -> PersonOut:
    """As ``{% person %}`` on the idea's page: the public reads only names of people
    listed publicly, otherwise their role; the profile is linked only where it opens.
    ``person.profile`` must be selected with the person."""
    if person is None:
        return PersonOut(name=_("A former participant"), url="")
    role = _role_label(person)
    name = person.get_full_name() or role
    if not viewer.is_authenticated:
        profile = access.profile_of(person)
        listed = profile is not None and profile.public_listing
        return PersonOut(name=name if listed else role, url="")
    opens = access.may_open_profile(viewer, person)
    return PersonOut(name=name, url=reverse("network:profile", args=[person.pk]) if opens else "")


def _origin(viewer: AnyUser, idea: Idea) -> OriginSessionOut | None:
    """The session only where the viewer may see its forum (a public idea can come
    from a members' forum; like the web pages, name nothing that answers 404)."""
    session = idea.origin_session
    if session is None or not access.may_see(viewer, session.event):
        return None
    return OriginSessionOut(
        title=session.title,
        event_title=session.event.title,
        url=reverse("events:session", args=[session.event.slug, session.slug]),
    )


def _summary_fields(viewer: AnyUser, idea: Idea, authors: list[PersonOut] | None) -> dict[str, Any]:
    municipality = idea.municipality
    return {
        "id": idea.pk,
        "url": reverse("ideas:detail", args=[idea.pk]),
        "title": idea.title,
        "stage": idea.stage,
        "stage_label": str(Stage(idea.stage).label),
        "kind": idea.kind,
        "kind_label": str(Kind(idea.kind).label),
        "municipality": municipality_ref(municipality) if municipality is not None else None,
        "topics": [topic_ref(topic) for topic in idea.topics.all()],
        "authors": authors,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "origin_session": _origin(viewer, idea),
        "created_at": idea.created_at,
    }


def _people() -> QuerySet[User]:
    # Profiles come along: how a name is shown depends on the person's sharing choices.
    return User.objects.select_related("profile").order_by("last_name", "first_name", "pk")


def _detail(viewer: AnyUser, idea: Idea) -> IdeaOut:
    """The idea as its page shows it. Queries: authors, topics, history, own support."""
    authors = list(_people().filter(authored_ideas=idea))
    history = list(StageChange.objects.filter(idea=idea).select_related("changed_by__profile"))
    pilot = idea.pilot
    supported = bool(viewer.is_authenticated and idea.supports.filter(user_id=viewer.pk).exists())
    return IdeaOut(
        **_summary_fields(viewer, idea, [_person(viewer, a) for a in authors]),
        problem=idea.problem,
        proposal=idea.proposal,
        context=idea.context,
        goals=idea.goals,
        audience=idea.audience,
        resources=idea.resources,
        risks=idea.risks,
        success_criteria=idea.success_criteria,
        visibility=cast(IdeaVisibility, idea.visibility),
        group=idea.group.name if idea.group is not None else None,
        born_at_forum=idea.origin_session_id is not None,
        pilot=pilot_ref(pilot) if pilot is not None and access.may_see(viewer, pilot) else None,
        history=[
            StageChangeOut(
                from_stage=Stage(change.from_stage) if change.from_stage else None,
                to_stage=Stage(change.to_stage),
                rationale=change.rationale,
                changed_at=change.changed_at,
                changed_by=_person(viewer, change.changed_by),
            )
            for change in history
        ],
        supported=supported,
        may_support=access.may_support_idea(viewer),
        may_comment=access.may_comment_idea(viewer),
    )


def _idea(request: HttpRequest, idea_id: int) -> Idea:
    """The idea if the caller sees it; 404 otherwise, whatever the caller wants to do."""
    return selectors.idea_for_viewer(user=request.user, pk=idea_id)


# --- Reading ----------------------------------------------------------------


class IdeaFilter(Schema):
    stage: Stage | None = None
    topic: str = Field("", max_length=120, pattern=SLUG, description="Slug of a topic")
    kind: Kind | None = None
    text: str = Field(
        "", max_length=100, pattern=TEXT, description="Part of the title, problem or proposal"
    )
    ordering: Literal[
        "created", "-created", "supports", "-supports", "comments", "-comments", "title", "-title"
    ] = "-created"


ORDERING_FIELDS = {
    "created": "created_at",
    "supports": "support_count",
    "comments": "comment_count",
    "title": "title",
}


@router.get("/ideas", auth=PUBLIC, response=responses(Page[IdeaSummaryOut]), summary="Ideas")
def idea_list(
    request: HttpRequest, filters: Query[IdeaFilter], page: Query[PageParams]
) -> HttpResponse:
    """The ideas you see on /ideen/. Authors are named to members and the club office,
    as on the list page. Fixed queries: the version of the cached answer, and
    when it is not cached count, page, topics, authors."""
    return cached_page(
        request, "ideas", Page[IdeaSummaryOut], lambda: _idea_page(request, filters, page)
    )


def _idea_page(request: HttpRequest, filters: IdeaFilter, page: PageParams) -> dict[str, Any]:
    user = request.user
    ideas = selectors.ideas_visible(user)
    if filters.stage:
        ideas = ideas.filter(stage=filters.stage)
    if filters.kind:
        ideas = ideas.filter(kind=filters.kind)
    if filters.topic:
        ideas = ideas.filter(topics__slug=filters.topic)
    if filters.text.strip():
        text = filters.text.strip()
        ideas = ideas.filter(
            Q(title__icontains=text) | Q(problem__icontains=text) | Q(proposal__icontains=text)
        )
    # Topics come in their default order, by name.
    ideas = ideas.select_related("municipality", "origin_session__event").prefetch_related("topics")
    show_authors = access.is_member(user)
    if show_authors:
        ideas = ideas.prefetch_related(Prefetch("authors", queryset=_people()))

    def item(idea: Idea) -> IdeaSummaryOut:
        authors = [_person(user, a) for a in idea.authors.all()] if show_authors else None
        return IdeaSummaryOut(**_summary_fields(user, idea, authors))

    return page_of(request, ordered(ideas, filters.ordering, ORDERING_FIELDS), page, item)


@router.get("/ideas/{idea_id}", auth=PUBLIC, response=responses(IdeaOut), summary="One idea")
def idea_detail(request: HttpRequest, idea_id: Id) -> IdeaOut:
    return _detail(request.user, _idea(request, idea_id))


def _comment_fields(viewer: AnyUser, comment: Comment) -> dict[str, Any]:
    """A hidden comment stays as a placeholder: its author and the office read the
    reason and see who wrote it; only the office reads the original text."""
    office = access.is_staff(viewer)
    own = viewer.is_authenticated and comment.author_id == viewer.pk
    hidden = comment.is_hidden
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": _person(viewer, comment.author) if not hidden or office or own else None,
        "body": comment.body if not hidden or office else None,
        "hidden": hidden,
        "hidden_reason": comment.hidden_reason if hidden and (office or own) else None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


@router.get(
    "/ideas/{idea_id}/comments",
    auth=PUBLIC,
    response=responses(Page[CommentOut]),
    summary="The discussion of an idea",
)
def comment_list(request: HttpRequest, idea_id: Id, page: Query[PageParams]) -> dict[str, object]:
    """Comments, oldest first, each with its replies (one level deep). Fixed queries:
    the idea, count, page, replies."""
    user = request.user
    idea = _idea(request, idea_id)
    threads = (
        idea.comments.filter(parent__isnull=True)
        .select_related("author__profile")
        .order_by("created_at", "id")
    )

    def items(rows: list[Comment]) -> list[CommentOut]:
        replies: dict[int, list[ReplyOut]] = {row.pk: [] for row in rows}
        for reply in (
            Comment.objects.filter(parent__in=list(replies))
            .select_related("author__profile")
            .order_by("created_at", "id")
        ):
            replies[cast(int, reply.parent_id)].append(ReplyOut(**_comment_fields(user, reply)))
        return [CommentOut(**_comment_fields(user, row), replies=replies[row.pk]) for row in rows]

    return page_of(request, threads, page, items=items)


# --- Writing ----------------------------------------------------------------


def _max_length(name: str) -> int | None:
    return cast(int | None, getattr(Idea._meta.get_field(name), "max_length", None))


class IdeaIn(Input):
    title: Text = Field(min_length=1, max_length=_max_length("title"))
    problem: Text = Field(min_length=1, max_length=_max_length("problem"), description="Markdown")
    proposal: Text = Field(min_length=1, max_length=_max_length("proposal"), description="Markdown")
    kind: Kind
    topics: list[Annotated[str, Field(max_length=120, pattern=SLUG)]] = Field(
        default_factory=list, max_length=50, description="Slugs of topics in use"
    )
    municipality: Annotated[str, Field(pattern=r"^[0-9]{5}([0-9]{3})?$")] | None = Field(
        default=None,
        description="AGS of a municipality with members; left out: your own; null: none",
    )
    context: Text = Field("", max_length=_max_length("context"), description="Markdown")
    origin_session: BodyId | None = Field(
        default=None, description="Id of a session of a forum you may see that has begun"
    )
    co_authors: list[BodyId] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of members in the directory who write the idea with you. The club "
        "office is no author and names at least one member here.",
    )
    visibility: IdeaVisibility = "members"
    group: BodyId | None = Field(
        default=None, description="Id of your group, for visibility 'group'"
    )


# The API's names of the form's fields, where they differ.
FORM_FIELDS = {"people": "co_authors", NON_FIELD_ERRORS: ""}


def _idea_form(user: User, payload: IdeaIn) -> IdeaForm:
    """The web form, bound to the request's values: the same choices and checks."""
    municipality = payload.municipality
    if "municipality" not in payload.model_fields_set and user.municipality is not None:
        municipality = user.municipality.ags  # the form's default, as on the web page
    form = IdeaForm(
        {
            "title": payload.title,
            "problem": payload.problem,
            "proposal": payload.proposal,
            "kind": payload.kind,
            "topics": payload.topics,
            "municipality": municipality or "",
            "context": payload.context,
            "origin_session": str(payload.origin_session or ""),
            "people": [str(pk) for pk in payload.co_authors],
            "visibility": payload.visibility,
            "group": str(payload.group or ""),
        },
        user=user,
    )
    # The API names topics and places by their public keys, not by row ids.
    form.fields["topics"].to_field_name = "slug"  # type: ignore[attr-defined]
    form.fields["municipality"].to_field_name = "ags"  # type: ignore[attr-defined]
    return form


@router.post("/ideas", auth=WRITE, response=responses(IdeaOut, 201), summary="Submit an idea")
def idea_create(request: HttpRequest, payload: IdeaIn) -> Status[IdeaOut]:
    """Members submit an idea and are its authors; the club office enters one for
    members. The checks are those of the form on /ideen/neu/."""
    user = caller(request)
    if not access.is_member(user):
        raise PermissionDenied(_("Only members and the club office can submit ideas."))
    form = _idea_form(user, payload)
    if not form.is_valid():
        raise ValidationError(
            {
                FORM_FIELDS.get(name, name): [str(message) for message in messages]
                for name, messages in form.errors.items()
            }
        )
    authors = form.authors()
    idea = services.idea_create(
        author=authors[0],
        co_authors=authors[1:],
        created_by=user,
        topics=form.cleaned_data["topics"],
        **form.idea_fields(),
    )
    return Status(201, _detail(user, selectors.idea_for_viewer(user=user, pk=idea.pk)))


def _supportable(request: HttpRequest, idea_id: int) -> tuple[Idea, User]:
    idea = _idea(request, idea_id)
    user = caller(request)
    if not access.may_support_idea(user):
        raise PermissionDenied(_("Only members can support an idea."))
    return idea, user


def _support_state(idea: Idea, user: User) -> SupportOut:
    idea.refresh_from_db(fields=["support_count"])
    return SupportOut(
        supported=idea.supports.filter(user=user).exists(), support_count=idea.support_count
    )


@router.post(
    "/ideas/{idea_id}/support",
    auth=WRITE,
    response=responses(SupportOut),
    summary="Support an idea (Ich unterstütze)",
)
def support_add(request: HttpRequest, idea_id: Id) -> SupportOut:
    """Members only. Supporting twice counts once and answers the same."""
    idea, user = _supportable(request, idea_id)
    engagement.support_add(idea=idea, user=user)
    return _support_state(idea, user)


@router.delete(
    "/ideas/{idea_id}/support",
    auth=WRITE,
    response=responses(SupportOut),
    summary="Withdraw your support",
)
def support_remove(request: HttpRequest, idea_id: Id) -> SupportOut:
    """Withdrawing a support you did not give changes nothing and answers the same."""
    idea, user = _supportable(request, idea_id)
    engagement.support_remove(idea=idea, user=user)
    return _support_state(idea, user)


class CommentIn(Input):
    body: Text = Field(min_length=1, max_length=COMMENT_MAX_LENGTH, description="Markdown")
    parent: BodyId | None = Field(
        default=None, description="Id of the comment to reply to (replies go one level deep)"
    )


@router.post(
    "/ideas/{idea_id}/comments",
    auth=WRITE,
    response=responses(CommentOut, 201),
    summary="Comment on an idea",
)
def comment_create(request: HttpRequest, idea_id: Id, payload: CommentIn) -> Status[CommentOut]:
    """Everybody signed in who sees the idea comments (guests bring expertise).
    Writing makes you follow the idea; its authors and followers are notified."""
    idea = _idea(request, idea_id)
    user = caller(request)
    if not access.may_comment_idea(user):
        raise PermissionDenied(_("You may not comment on this idea."))
    parent: Comment | None = None
    if payload.parent is not None:
        parent = idea.comments.select_related("author").filter(pk=payload.parent).first()
        if parent is None:
            raise Refused(_("There is no such comment on this idea."), status=422, field="parent")
    try:
        comment = engagement.comment_create(
            idea=idea, author=user, body=payload.body, parent=parent
        )
    except ValidationError as refusal:
        if hasattr(refusal, "error_dict"):
            raise  # a field's message (the text): 422 as it is
        # The thread's state forbids it (a hidden comment cannot be answered).
        raise Refused(" ".join(refusal.messages), status=409, field="parent") from None
    comment = Comment.objects.select_related("author__profile").get(pk=comment.pk)
    return Status(201, CommentOut(**_comment_fields(user, comment), replies=[]))
