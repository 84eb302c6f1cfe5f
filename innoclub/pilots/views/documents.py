"""A pilot's reusable documents: adding one, its versions, and downloads.

Downloads are served only after the pilot's access check, always as an
attachment with the type checked at upload (``events.documentation``).
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access, may_edit_pilot
from innoclub.core.forms import add_refusal
from innoclub.events.documentation import download_response
from innoclub.pilots import documents, selectors
from innoclub.pilots.forms import DocumentForm, VersionForm
from innoclub.pilots.models import DocumentVersion, PilotDocument, PilotProject


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    pilot = selectors.pilot_for_editor(user, slug=slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = documents.document_add(
                pilot=pilot,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                upload=data["upload"],
                by=user,
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("The document “%(title)s” has been added.") % {"title": document.title}
            )
            return redirect("pilots:document", pilot.slug, document.pk)
    return render(
        request,
        "pilots/document_form.html",
        {"pilot": pilot, "form": form},
        status=400 if form.is_bound else 200,
    )


def _document_page(
    request: HttpRequest,
    pilot: PilotProject,
    document: PilotDocument,
    *,
    form: VersionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = may_edit_pilot(request.user, is_contact=selectors.is_contact(pilot, request.user))
    return render(
        request,
        "pilots/document.html",
        {
            "pilot": pilot,
            "document": document,
            "versions": list(document.versions.all()),
            "may_edit": may_edit,
            "form": (form or VersionForm()) if may_edit else None,
        },
        status=status,
    )


@access(Rule.OBJECT)
@require_safe
def document_detail(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    """A document with all its versions; editors add a new version here."""
    pilot = selectors.pilot_for_viewer(request.user, slug=slug)
    return _document_page(request, pilot, selectors.document_of(pilot, document_id))


@access(Rule.AUTHENTICATED)
@require_POST
def version_create(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    pilot = selectors.pilot_for_editor(user, slug=slug)
    document = selectors.document_of(pilot, document_id)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = documents.document_version_add(
                document=document,
                upload=form.cleaned_data["upload"],
                note=form.cleaned_data["note"],
                by=user,
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("Version %(number)s of “%(title)s” has been added.")
                % {"number": version.number, "title": document.title},
            )
            return redirect("pilots:document", pilot.slug, document.pk)
    return _document_page(request, pilot, document, form=form, status=400)


def _download(version: DocumentVersion) -> FileResponse:
    stem = PurePath(version.name).stem
    return download_response(
        version.file, name=f"{stem}-v{version.number}", content_type=version.content_type
    )


@access(Rule.OBJECT)
@require_safe
def document_download(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    """The newest version of a document, for everybody who sees the pilot."""
    pilot = selectors.pilot_for_viewer(request.user, slug=slug)
    version = (
        DocumentVersion.objects.filter(document__pilot=pilot, document_id=document_id)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return _download(version)


@access(Rule.OBJECT)
@require_safe
def version_download(
    request: HttpRequest, slug: str, document_id: int, number: int
) -> FileResponse:
    pilot = selectors.pilot_for_viewer(request.user, slug=slug)
    version = DocumentVersion.objects.filter(
        document__pilot=pilot, document_id=document_id, number=number
    ).first()
    if version is None:
        raise Http404
    return _download(version)
