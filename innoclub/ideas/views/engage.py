"""Taking part in an idea: comments, "Ich unterstütze", "Wir würden mitmachen", following.

Every action is a form POST that works without JavaScript (redirect back to
the idea with a message) and with htmx (the changed part of the page comes
back). A refusal is told in German and changes nothing; a text that was
refused is shown again, never lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access, may_comment_idea, may_support_idea
from innoclub.ideas import engagement, selectors
from innoclub.ideas.models import Comment
from innoclub.ideas.views.detail import (
    CommentForm,
    InterestForm,
    ReplyForm,
    comment_url,
    idea_url,
    render_page,
)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Comments -------------------------------------------------------------


@access(Rule.AUTHENTICATED)
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment, or with ``antwort_auf`` a reply to one (one level deep)."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    if not may_comment_idea(request.user):
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    parent: Comment | None = None
    parent_id = request.POST.get("antwort_auf", "")
    if parent_id:
        parent = idea.comments.filter(pk=parent_id if parent_id.isdigit() else 0).first()
        if parent is None:
            raise Http404
    form: CommentForm = (
        ReplyForm(request.POST, auto_id=f"antwort-{parent.pk}-%s")
        if parent is not None
        else CommentForm(request.POST, auto_id="kommentar-%s")
    )
    comment: Comment | None = None
    if form.is_valid():
        try:
            comment = engagement.comment_create(
                idea=idea, author=user, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            form.add_error(None, error)
    if comment is None:
        forms: dict[str, Any] = (
            {"reply_to": parent.pk, "reply_form": form, "at_comment": parent}
            if parent is not None
            else {"comment_form": form}
        )
        # A refusal that belongs to no field (a hidden comment) is shown above the discussion.
        refusal = " ".join(str(message) for message in form.non_field_errors())
        if _is_htmx(request):
            return render_page(
                request, idea, "ideas/_comments.html", forms=forms, comment_error=refusal
            )
        return render_page(request, idea, status=400, forms=forms, comment_error=refusal)
    idea.refresh_from_db(fields=["comment_count"])
    done = _("Your reply has been published.") if parent else _("Your comment has been published.")
    if _is_htmx(request):
        return render_page(
            request, idea, "ideas/_comments.html", forms={"at_comment": comment}, comment_done=done
        )
    messages.success(request, done)
    return HttpResponseRedirect(comment_url(comment))


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """The author corrects a comment within 15 minutes of writing it."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    comment = idea.comments.filter(pk=comment_id, author=user).first()
    if comment is None:
        raise Http404
    back = comment_url(comment)
    if not engagement.may_still_edit(comment, user):
        messages.error(
            request,
            _("Comments can be changed for %(minutes)d minutes after writing.")
            % {"minutes": engagement.COMMENT_EDIT_WINDOW.seconds // 60},
        )
        return HttpResponseRedirect(back)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            engagement.comment_update(comment=comment, by=user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment has been changed."))
            return HttpResponseRedirect(back)
    return render(
        request,
        "ideas/comment_edit.html",
        {
            "idea": idea,
            "comment": comment,
            "back": back,
            "form": form,
            "editable_until": engagement.comment_editable_until(comment),
        },
        status=400 if form.errors else 200,
    )


# --- Support, interest, following -------------------------------------------


@access(Rule.AUTHENTICATED)
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ich unterstütze" (``aktion=entfernen`` takes it back); members only.

    The button says what it does, so a double click never undoes the first one.
    """
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    if not may_support_idea(request.user):
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    if request.POST.get("aktion") == "entfernen":
        engagement.support_remove(idea=idea, user=user)
        done = _("You no longer support this idea.")
    else:
        engagement.support_add(idea=idea, user=user)
        done = _("You support this idea.")
    idea.refresh_from_db(fields=["support_count"])
    if _is_htmx(request):
        return render_page(request, idea, "ideas/_support.html", support_done=done)
    messages.success(request, done)
    return HttpResponseRedirect(idea_url(idea, "unterstuetzen"))


@access(Rule.AUTHENTICATED)
@require_POST
def interest(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Wir würden mitmachen" for the member's municipality, with a note; or withdraw it."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    if not may_support_idea(request.user):
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    form = InterestForm(request.POST, auto_id="mitmachen-%s")
    error = ""
    done = ""
    if request.POST.get("aktion") == "zurueckziehen":
        engagement.interest_withdraw(idea=idea, user=user)
        done = _("Your municipality's interest has been withdrawn.")
    elif form.is_valid():
        try:
            engagement.interest_declare(idea=idea, user=user, note=form.cleaned_data["note"])
        except ValidationError as refusal:
            error = _refusal(refusal)
        else:
            done = _("Your municipality's interest has been noted.")
    else:
        error = " ".join(str(message) for message in form.errors.get("note", []))
    if _is_htmx(request):
        return render_page(
            request,
            idea,
            "ideas/_interest.html",
            forms={"interest_form": form} if error else None,
            interest_done=done,
            interest_error=error,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(idea_url(idea, "mitmachen"))


@access(Rule.AUTHENTICATED)
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an idea (``aktion=entfolgen`` stops): notifications about it."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    user: User = request.user  # type: ignore[assignment]
    if request.POST.get("aktion") == "entfolgen":
        engagement.follow_remove(idea=idea, user=user)
        done = _("You no longer follow this idea.")
    else:
        engagement.follow_add(idea=idea, user=user)
        done = _("You follow this idea and will be notified of comments and new stages.")
    if _is_htmx(request):
        return render_page(request, idea, "ideas/_follow.html", follow_done=done)
    messages.success(request, done)
    return HttpResponseRedirect(idea_url(idea, "folgen"))
