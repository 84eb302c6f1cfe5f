"""Writing ideas: a new idea, editing one, its files, and the hint of similar ideas."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import AnyUser, Rule, access, may_edit_idea
from innoclub.events.documentation import download_response
from innoclub.ideas import selectors, services
from innoclub.ideas.forms import AttachmentForm, IdeaForm
from innoclub.ideas.models import Idea, IdeaAttachment


def _similar(user: AnyUser, title: str, exclude: int | None = None) -> list[Idea]:
    return selectors.similar_ideas(user=user, text=title, exclude=exclude) if title else []


@access(Rule.MEMBERS)
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest) -> HttpResponse:
    """A member writes an idea (and is its author); the office enters one for members."""
    user: User = request.user  # type: ignore[assignment]
    # A link from a forum session's page names the session the idea comes from.
    form = IdeaForm(
        request.POST or None, user=user, initial={"origin_session": request.GET.get("sitzung", "")}
    )
    if request.method == "POST" and form.is_valid():
        authors = form.authors()
        try:
            idea = services.idea_create(
                author=authors[0],
                co_authors=authors[1:],
                created_by=user,
                topics=form.cleaned_data["topics"],
                **form.idea_fields(),
            )
        except ValidationError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(
                request, _("Your idea “%(title)s” has been submitted.") % {"title": idea.title}
            )
            return redirect("ideas:detail", idea.pk)
    similar = _similar(user, form.data.get("title", "").strip()) if form.is_bound else []
    return render(
        request,
        "ideas/form.html",
        {"form": form, "idea": None, "similar": similar},
        status=400 if form.is_bound else 200,
    )


def _idea_to_edit(request: HttpRequest, pk: int) -> Idea:
    """The idea, if the person may see and edit it; 404 otherwise (as if it did not exist)."""
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    is_author = idea.authors.filter(pk=request.user.pk).exists()
    if not may_edit_idea(request.user, is_author=is_author, stage=idea.stage):
        raise Http404
    return idea


def _edit_page(
    request: HttpRequest,
    idea: Idea,
    form: IdeaForm,
    upload: AttachmentForm,
    *,
    status: int = 200,
    similar: list[Idea] | None = None,
) -> HttpResponse:
    return render(
        request,
        "ideas/form.html",
        {
            "form": form,
            "idea": idea,
            "upload": upload,
            "attachments": list(idea.attachments.all()),
            "similar": similar or [],
        },
        status=status,
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Authors edit their idea until the pilot; the office edits any idea at any stage."""
    idea = _idea_to_edit(request, pk)
    user: User = request.user  # type: ignore[assignment]
    form = IdeaForm(request.POST or None, user=user, idea=idea)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(
                idea=idea,
                fields=form.idea_fields(),
                topics=form.cleaned_data["topics"],
                authors=form.authors(),
            )
        except ValidationError as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("ideas:detail", idea.pk)
    similar = (
        _similar(user, form.data.get("title", "").strip(), exclude=idea.pk) if form.is_bound else []
    )
    return _edit_page(
        request,
        idea,
        form,
        AttachmentForm(),
        status=400 if form.is_bound else 200,
        similar=similar,
    )


@access(Rule.MEMBERS)
@require_safe
def similar_ideas(request: HttpRequest) -> HttpResponse:
    """Ideas with a similar title, shown while someone types one (an htmx partial)."""
    title = (request.GET.get("titel") or request.GET.get("title") or "").strip()[:200]
    try:
        exclude = int(request.GET.get("ausser", ""))
    except ValueError:
        exclude = None
    return render(
        request, "ideas/_similar.html", {"similar": _similar(request.user, title, exclude)}
    )


@access(Rule.AUTHENTICATED)
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_to_edit(request, pk)
    upload = AttachmentForm(request.POST, request.FILES)
    if upload.is_valid():
        try:
            attachment = services.attachment_add(
                idea=idea,
                upload=upload.cleaned_data["upload"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as refusal:
            upload.add_error("upload", refusal)
        else:
            messages.success(
                request, _("The file “%(name)s” has been added.") % {"name": attachment.name}
            )
            return redirect("ideas:edit", idea.pk)
    form = IdeaForm(user=request.user, idea=idea)  # type: ignore[arg-type]
    return _edit_page(request, idea, form, upload, status=400)


def _attachment_of(idea: Idea, file_id: int) -> IdeaAttachment:
    attachment = idea.attachments.filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    return attachment


@access(Rule.OBJECT)
@require_safe
def attachment_download(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """A file of an idea, for everybody who sees the idea.

    As the forum documentation: always a download with the type checked at
    upload, never sniffed by the browser, sandboxed should it ever be opened.
    """
    idea = selectors.idea_for_viewer(user=request.user, pk=pk)
    attachment = _attachment_of(idea, file_id)
    return download_response(
        attachment.file,
        name=PurePath(attachment.name).stem,
        content_type=attachment.content_type,
    )


@access(Rule.AUTHENTICATED)
@require_POST
def attachment_delete(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    idea = _idea_to_edit(request, pk)
    attachment = _attachment_of(idea, file_id)
    services.attachment_delete(attachment=attachment)
    messages.success(
        request, _("The file “%(name)s” has been deleted.") % {"name": attachment.name}
    )
    return redirect("ideas:edit", idea.pk)
