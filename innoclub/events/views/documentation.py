"""A session's documentation: the office writes it and uploads files; everybody who
sees the event downloads them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.core.access import Rule, access
from innoclub.events import documentation, selectors
from innoclub.events.models import Event, Session, SessionFile

MARKDOWN_HINT = gettext_lazy("Markdown: ## for a heading, *italic*, **bold**, [link](https://…).")


class DocumentationForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HINT,
    )
    results = forms.CharField(
        label=gettext_lazy("Results"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HINT,
    )


class FileForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title of the file"),
        max_length=200,
        help_text=gettext_lazy("For example “Slides of the talk”."),
    )
    upload = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "PDF, PowerPoint, Word, Excel, OpenDocument, PNG or JPEG; at most 25 MB."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["upload"].widget.attrs["accept"] = ",".join(documentation.CONTENT_TYPES)


def _session_of(event: Event, session_slug: str) -> Session:
    session = event.sessions.filter(slug=session_slug).first()
    if session is None:
        raise Http404
    return session


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def office_documentation(request: HttpRequest, slug: str, session_slug: str) -> HttpResponse:
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    session = _session_of(event, session_slug)
    texts = DocumentationForm(initial={"summary": session.summary, "results": session.results})
    upload = FileForm()
    status = 200
    # Two forms on one page; a hidden field says which one was sent.
    if request.method == "POST" and request.POST.get("part") == "file":
        upload = FileForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                documentation.session_file_add(
                    session=session,
                    title=upload.cleaned_data["title"],
                    upload=upload.cleaned_data["upload"],
                    uploaded_by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as refusal:
                upload.add_error("upload", refusal)
            else:
                messages.success(request, _("The file has been added."))
                return redirect(
                    "events_office:documentation", slug=event.slug, session_slug=session.slug
                )
        status = 400
    elif request.method == "POST":
        texts = DocumentationForm(request.POST)
        if texts.is_valid():
            documentation.session_documentation_update(
                session=session,
                summary=texts.cleaned_data["summary"],
                results=texts.cleaned_data["results"],
            )
            messages.success(request, _("The documentation has been saved."))
            return redirect(
                "events_office:documentation", slug=event.slug, session_slug=session.slug
            )
        status = 400
    return render(
        request,
        "events/documentation_edit.html",
        {
            "event": event,
            "session": session,
            "texts": texts,
            "upload": upload,
            "files": list(session.files.all()),
        },
        status=status,
    )


@access(Rule.STAFF)
@require_POST
def office_file_delete(request: HttpRequest, slug: str, session_slug: str, pk: int) -> HttpResponse:
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    session = _session_of(event, session_slug)
    session_file = SessionFile.objects.filter(session=session, pk=pk).first()
    if session_file is None:
        raise Http404
    documentation.session_file_delete(session_file=session_file)
    messages.success(
        request, _("The file “%(title)s” has been deleted.") % {"title": session_file.title}
    )
    return redirect("events_office:documentation", slug=event.slug, session_slug=session.slug)


@access(Rule.OBJECT)
@require_safe
def file_download(request: HttpRequest, slug: str, session_slug: str, pk: int) -> FileResponse:
    """A documentation file as a download, for everybody who may see the event.

    Always an attachment, with the type we sniffed at upload, never sniffed
    again by the browser and sandboxed should it ever be opened.
    """
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    session_file = (
        SessionFile.objects.filter(pk=pk, session__event=event, session__slug=session_slug)
        .only("title", "file", "content_type")
        .first()
    )
    if session_file is None:
        raise Http404
    return documentation.download_response(
        session_file.file, name=session_file.title, content_type=session_file.content_type
    )
