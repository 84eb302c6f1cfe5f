"""The idea's page at /ideen/<id>/: text, stage and its history, discussion, engagement.

``page_context`` is shared with the engagement views (``engage.py``), which
render parts of this page again after a change (htmx) or the whole page with
a refused input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from innoclub.core.access import (
    Rule,
    access,
    is_staff,
    may_comment_idea,
    may_declare_pilot_interest,
    may_edit_idea,
    may_see,
    may_support_idea,
)
from innoclub.ideas import selectors
from innoclub.ideas.engagement import COMMENT_MAX_LENGTH
from innoclub.ideas.models import PIPELINE, Comment, Idea, Stage
from innoclub.ideas.services import CONCEPT_LABELS
from innoclub.pilots.chain import chain_for_idea


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can use Markdown, for example **bold** or lists."),
        error_messages={"required": _("Please write a comment.")},
    )


class ReplyForm(CommentForm):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a reply.")},
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the authors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example who in your administration would take part."),
    )


def idea_url(idea: Idea, anchor: str = "") -> str:
    """The idea's page, at ``anchor`` when given (after an action without JavaScript)."""
    url = reverse("ideas:detail", args=[idea.pk])
    return f"{url}#{anchor}" if anchor else url


@dataclass
class Thread:
    """A comment with its replies and the form to answer it."""

    comment: Comment
    replies: list[Comment]
    reply_form: ReplyForm
    reply_open: bool = False


def page_context(
    request: HttpRequest,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    reply_to: int | None = None,
    reply_form: ReplyForm | None = None,
    interest_form: InterestForm | None = None,
) -> dict[str, Any]:
    """What the page and its partials show to ``request.user``; a fixed number of queries."""
    user = request.user
    page = selectors.idea_page(user=user, idea=idea)
    threads = [
        Thread(
            comment=comment,
            replies=list(comment.replies.all()),
            reply_form=reply_form
            if reply_form is not None and reply_to == comment.pk
            else ReplyForm(auto_id=f"antwort-{comment.pk}-%s"),
            reply_open=reply_form is not None and reply_to == comment.pk,
        )
        for comment in page.comments
    ]
    origin = idea.origin_session
    context: dict[str, Any] = {
        "idea": idea,
        "page": page,
        "threads": threads,
        "comment_form": comment_form or CommentForm(auto_id="kommentar-%s"),
        "interest_form": interest_form
        or InterestForm(
            auto_id="mitmachen-%s",
            initial={"note": page.own_interest.note if page.own_interest else ""},  # type: ignore[attr-defined]
        ),
        "pipeline": [(stage, Stage(stage).label) for stage in PIPELINE],
        "concept": [
            (CONCEPT_LABELS[name], getattr(idea, name))
            for name in Idea.CONCEPT_FIELDS
            if getattr(idea, name).strip()
        ],
        "origin_visible": origin is not None and may_see(user, origin.event),
        "pilot_visible": idea.pilot is not None and may_see(user, idea.pilot),
        "is_staff": is_staff(user),
        "may_edit": may_edit_idea(user, is_author=page.is_author, stage=idea.stage),
        "may_comment": may_comment_idea(user),
        "may_support": may_support_idea(user),
        "may_declare_interest": may_declare_pilot_interest(user),
    }
    if context["is_staff"]:
        # Imported here: the office's views may build on this module.
        from innoclub.ideas.views.office import panel_context

        context.update(panel_context(request, idea))
    return context


def render_page(
    request: HttpRequest,
    idea: Idea,
    template: str = "ideas/detail.html",
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
    **notes: str,
) -> HttpResponse:
    """The page, or with ``template`` one of its parts, with forms and short notes."""
    context = page_context(request, idea, **(forms or {}))
    if template == "ideas/detail.html":
        # The chain is not part of the partials that engagement re-renders.
        context.update(chain_for_idea(idea, request.user))
    context.update(notes)
    return render(request, template, context, status=status)


@access(Rule.OBJECT)
@require_safe
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    return render_page(request, idea)
