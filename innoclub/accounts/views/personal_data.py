"""The personal data export's two addresses: asking for it and fetching it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innoclub.accounts import personal_data
from innoclub.accounts.models import DataExport, ExportStatus, User
from innoclub.core.access import Rule, access

# The token of the export requested in this session, so that the account page
# can offer the link too (only its digest is in the database).
SESSION_KEY = "innoclub_data_export"


def _account_section() -> str:
    return reverse("accounts:account") + "#meine-daten"


@access(Rule.AUTHENTICATED)
@require_http_methods(["POST"])
def data_export_request(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        export, token = personal_data.data_export_request(user=user, request=request)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect(_account_section())
    request.session[SESSION_KEY] = {"id": export.pk, "token": token}
    messages.success(
        request,
        _(
            "We are putting your data together. You will receive an e-mail with the link "
            "as soon as the file is ready."
        ),
    )
    return redirect(_account_section())


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET"])
def data_export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The ZIP, once, for its owner only: anyone else's link answers 404."""
    user: User = request.user  # type: ignore[assignment]
    try:
        _export, handle = personal_data.data_export_claim(user=user, token=token, request=request)
    except DataExport.DoesNotExist:
        raise Http404 from None
    except personal_data.ExportGone as gone:
        if gone.export.status == ExportStatus.PENDING:
            messages.info(
                request, _("Your data is still being put together. Please wait a moment.")
            )
            return redirect(_account_section())
        response = render(
            request, "accounts/data_export_gone.html", {"export": gone.export}, status=410
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
    request.session.pop(SESSION_KEY, None)
    download = FileResponse(
        handle,
        as_attachment=True,
        filename=f"innoclub-meine-daten-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    download["X-Content-Type-Options"] = "nosniff"
    download["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(download, private=True, no_store=True)
    return download


def account_context(request: HttpRequest, user: User) -> dict[str, Any]:
    """The export section of the account page: the latest export, its state and,
    if it was requested in this session, its download link (one query)."""
    export = personal_data.data_export_latest(user=user)
    state = "none"
    token = None
    if export is not None:
        now = timezone.now()
        if export.status != ExportStatus.READY:
            state = str(export.status)
        elif export.downloaded_at is not None:
            state = "downloaded"
        elif export.expires_at is not None and export.expires_at <= now:
            state = "expired"
        else:
            state = "ready"
            remembered = request.session.get(SESSION_KEY)
            if isinstance(remembered, dict) and remembered.get("id") == export.pk:
                token = remembered.get("token")
    return {"data_export": export, "data_export_state": state, "data_export_token": token}
