"""The idea's page at /ideen/<id>/: text, stage and its history, discussion, engagement.

``page_context`` is shared with the engagement views (``engage.py``), which
render parts of this page again after a change (htmx) or the whole page with
a refused input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from innoclub.core import sections
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
from innoclub.ideas.engagement import COMMENT_MAX_LENGTH, has_editable_comment
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


def comment_url(comment: Comment) -> str:
    """The page of the discussion that shows ``comment``, scrolled to it. One query."""
    number = selectors.thread_page_of(comment=comment)
    url = reverse("ideas:detail", args=[comment.idea_id])
    query = f"?seite={number}" if number > 1 else ""
    return f"{url}{query}#kommentar-{comment.pk}"


@dataclass
class Thread:
    """A comment with its replies; ``reply_open`` when the page shows the form to answer it."""

    comment: Comment
    replies: list[Comment]
    reply_open: bool = False


def reply_target(request: HttpRequest) -> int | None:
    """The comment chosen with "Reply" (``?antwort=<id>``); other values are ignored."""
    value = request.GET.get("antwort", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def open_reply_form(parent_id: int) -> ReplyForm:
    """The one reply form of the page, for the comment ``parent_id``; it takes the focus."""
    form = ReplyForm(auto_id=f"antwort-{parent_id}-%s")
    form.fields["body"].widget.attrs["autofocus"] = True
    return form


def page_context(
    request: HttpRequest,
    idea: Idea,
    *,
    comment_form: CommentForm | None = None,
    reply_to: int | None = None,
    reply_form: ReplyForm | None = None,
    interest_form: InterestForm | None = None,
    at_comment: Comment | None = None,
    discussion_kept: bool | None = None,
) -> dict[str, Any]:
    """What the page and its partials show to ``request.user``; a fixed number of queries.

    The page holds one reply form at most: for the comment chosen with "Reply"
    (``?antwort=<id>``, or the reply that was refused). Every other comment
    links to it, which keeps a long discussion small and quick to render.
    The discussion shows the page ``?seite=<n>``, or the one with ``at_comment``.
    ``discussion_kept`` says whether it may come from the cache, when the
    caller knows.
    """
    user = request.user
    discussion_page = (
        selectors.thread_page_of(comment=at_comment)
        if at_comment is not None
        else request.GET.get("seite", "1")[:6]
    )
    if reply_form is None:
        reply_to = reply_target(request)
    # The discussion as this viewer sees it comes from the cache (below) unless
    # it holds a form (a reply form, the office's buttons) or an "Edit" link
    # that goes away after a while without any change to the data.
    cached = (
        reply_to is None
        and reply_form is None
        and not is_staff(user)
        and not has_editable_comment(idea=idea, user=user)
        if discussion_kept is None
        else discussion_kept
    )
    page = selectors.idea_page(
        user=user, idea=idea, discussion_page=discussion_page, with_discussion=not cached
    )
    if reply_form is None and reply_to is not None:
        reply_form = open_reply_form(reply_to)
    concept_fields = [name for name in Idea.CONCEPT_FIELDS if getattr(idea, name).strip()]
    concept_labels = [CONCEPT_LABELS[name] for name in concept_fields]
    texts = selectors.rendered_markdown(
        [idea.problem, idea.proposal, idea.context]
        + [getattr(idea, name) for name in concept_fields]
    )
    origin = idea.origin_session
    context: dict[str, Any] = {
        "idea": idea,
        "idea_path": idea_url(idea),
        "page": page,
        "reply_form": reply_form,
        "comment_form": comment_form or CommentForm(auto_id="kommentar-%s"),
        "interest_form": interest_form
        or InterestForm(
            auto_id="mitmachen-%s",
            initial={"note": page.own_interest.note if page.own_interest else ""},  # type: ignore[attr-defined]
        ),
        "pipeline": [(stage, Stage(stage).label) for stage in PIPELINE],
        "texts": dict(zip(("problem", "proposal", "context"), texts[:3], strict=True)),
        "concept": list(zip(concept_labels, texts[3:], strict=True)),
        "origin_visible": origin is not None and may_see(user, origin.event),
        "pilot_visible": idea.pilot is not None and may_see(user, idea.pilot),
        "is_staff": is_staff(user),
        "may_edit": may_edit_idea(user, is_author=page.is_author, stage=idea.stage),
        "may_comment": may_comment_idea(user),
        "may_support": may_support_idea(user),
        "may_declare_interest": may_declare_pilot_interest(user),
    }
    if cached:
        # Rendered once per viewer (visitors share one) and page of the
        # discussion, then read from the cache until the ideas' data changes.
        context["discussion_html"] = sections.cached(
            "ideas",
            ("idea-discussion", idea.pk, sections.audience(user), discussion_page),
            lambda: _discussion_html(request, idea, discussion_page, context),
        )
    else:
        assert page.discussion is not None
        context.update(_discussion_context(page.discussion, page.comments, reply_to))
    if context["is_staff"]:
        # Imported here: the office's views may build on this module.
        from innoclub.ideas.views.office import panel_context

        context.update(panel_context(request, idea))
    return context


def _discussion_context(
    discussion: Page[Comment], comments: list[Comment], reply_to: int | None
) -> dict[str, Any]:
    return {
        "discussion": discussion,
        "threads": [
            Thread(
                comment=comment,
                replies=list(comment.replies.all()),
                reply_open=reply_to == comment.pk and not comment.is_hidden,
            )
            for comment in comments
        ],
        # Keeps the discussion's page in the links that open the reply form.
        "page_query": f"seite={discussion.number}&" if discussion.number > 1 else "",
    }


def _discussion_html(
    request: HttpRequest, idea: Idea, discussion_page: str | int, context: dict[str, Any]
) -> str:
    discussion, comments = selectors.idea_discussion(idea=idea, discussion_page=discussion_page)
    threads = _discussion_context(discussion, comments, reply_to=None)
    return render_to_string("ideas/_discussion.html", {**context, **threads}, request=request)


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


def _reply_form(request: HttpRequest, idea: Idea, parent_id: int) -> HttpResponse:
    """The form to answer one comment, which htmx puts in place of its "Reply" link."""
    parent = selectors.comment_to_answer(idea=idea, pk=parent_id)
    if parent is None or not may_comment_idea(request.user):
        raise Http404
    context = {"idea": idea, "parent": parent, "reply_form": open_reply_form(parent.pk)}
    return render(request, "ideas/_reply_form.html", context)


@access(Rule.OBJECT)
@require_safe
def comment_link(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """A lasting link to a comment (notifications use it): to the page that shows it."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    comment = idea.comments.filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    return HttpResponseRedirect(comment_url(comment))


@access(Rule.OBJECT)
@require_safe
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page; with ``?antwort=<id>`` it opens the reply form under that comment.

    htmx asks for that form alone; without JavaScript the link reloads the page.
    """
    parent_id = reply_target(request)
    htmx = request.htmx  # type: ignore[attr-defined]
    if parent_id is None and _content_kept(request, pk):
        # The idea and the page's whole content are read once per viewer
        # (visitors share one) and page of the discussion, and then from the
        # cache until the data they show changes. That data includes all that
        # decides who may see the idea, so what was kept for a viewer stays
        # theirs to see. The forms get this request's CSRF token.
        idea, content_html = sections.cached(
            PAGE_DATA,
            ("idea-page", pk, sections.audience(request.user), request.GET.get("seite", "1")[:6]),
            lambda: _kept_page(request, pk),
        )
        response = render(
            request,
            "ideas/detail.html",
            {"idea": idea, "content_html": sections.with_token(request, content_html)},
        )
    else:
        idea = selectors.idea_for_viewer(user=request.user, pk=pk)
        if parent_id is not None and htmx and not htmx.history_restore_request:
            response = _reply_form(request, idea, parent_id)
        else:
            response = render_page(request, idea)
    patch_vary_headers(response, ["HX-Request"])
    return response


# What the idea's page shows besides the idea: the pilots of its chain, and
# whether the viewer follows it.
PAGE_DATA = ("ideas", "pilots", "follows")


def _content_kept(request: HttpRequest, pk: int) -> bool:
    """Whether the page's content may come from the cache: not for the office,
    whose panel reads more than the idea's data, nor while the viewer may
    still edit a comment (the "Edit" link expires without a change of data)."""
    user = request.user
    if not user.is_authenticated:
        return True
    return not is_staff(user) and not has_editable_comment(idea=pk, user=user)


def _kept_page(request: HttpRequest, pk: int) -> tuple[Idea, str]:
    """The idea and its page's content as kept; 404 (nothing kept) when the
    viewer may not see it."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    context = page_context(request, idea, discussion_kept=True)
    context.update(chain_for_idea(idea, request.user))
    return idea, sections.render_kept("ideas/_detail.html", context, request)
