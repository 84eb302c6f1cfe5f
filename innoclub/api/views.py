"""The pages around the API: personal tokens (/konto/api-tokens/) and the
reference (/api/v1/docs/), which is generated from the OpenAPI schema."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.api.forms import TokenCreateForm
from innoclub.api.models import ApiToken
from innoclub.api.reference import Reference, rate_text, schema_and_fingerprint, text_of
from innoclub.api.tokens import token_create, token_revoke
from innoclub.core.access import Rule, access

# --- Personal tokens ---------------------------------------------------------

# The plain token exists only in the answer to the POST that created it. A
# reload of that answer sends the POST again; the one-time key of the form
# turns that into a harmless redirect instead of a second token.
_FORM_KEYS = "api_token_form_keys"
_KEPT_FORM_KEYS = 5  # a few open tabs each keep a working form


def _form_key_issue(request: HttpRequest) -> str:
    key = secrets.token_urlsafe(16)
    request.session[_FORM_KEYS] = [*request.session.get(_FORM_KEYS, []), key][-_KEPT_FORM_KEYS:]
    return key


def _form_key_redeem(request: HttpRequest) -> bool:
    keys: list[str] = request.session.get(_FORM_KEYS, [])
    key = request.POST.get("formular", "")
    if key not in keys:
        return False
    request.session[_FORM_KEYS] = [kept for kept in keys if kept != key]
    return True


@dataclass
class TokenRow:
    token: ApiToken
    state: str  # "active", "expired" or "revoked"


def _rows(user: User) -> list[TokenRow]:
    now = timezone.now()
    rows = []
    for token in ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"):
        if token.revoked_at is not None:
            state = "revoked"
        elif token.expires_at <= now:
            state = "expired"
        else:
            state = "active"
        rows.append(TokenRow(token=token, state=state))
    # Usable tokens first: they are the ones to keep an eye on. (sorted() keeps the order within.)
    return sorted(rows, key=lambda row: row.state != "active")


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The account's tokens and the form for a new one; after creating, the
    answer shows the token in plain text, this once."""
    user: User = request.user  # type: ignore[assignment]
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created: tuple[ApiToken, str] | None = None
    if form.is_bound and form.is_valid():
        if not _form_key_redeem(request):
            messages.info(
                request,
                _(
                    "This form had already been sent. A token is shown only once; "
                    "if you did not copy it, revoke it and create a new one."
                ),
            )
            return redirect("api_tokens:list")
        try:
            created = token_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            # The service names the field in the code; "too_many" concerns the whole form.
            form.add_error(error.code if error.code in form.fields else None, error)
        else:
            form = TokenCreateForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "form_key": _form_key_issue(request),
            "rows": _rows(user),
            "created": created[0] if created else None,
            "plain": created[1] if created else "",
        },
        status=400 if form.errors else 200,
    )
    # The answer may hold a secret: no shared caches, no copies in the browser history.
    patch_cache_control(response, private=True, no_store=True)
    return response


@access(Rule.AUTHENTICATED)
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the account's own tokens; anybody else's id answers 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(
        request,
        _("The token “%(name)s” is revoked. Programs that use it can no longer reach the API.")
        % {"name": token.name},
    )
    return redirect("api_tokens:list")


@access(Rule.PUBLIC)
@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """The API reference, for people: what the schema says, with the rules every call shares.
    The operations and data types are cached per language and schema (see the template)."""
    schema, fingerprint = schema_and_fingerprint()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "description": text_of(schema.get("info", {}).get("description")),
            "base_url": settings.SITE_URL + "/api/v1/",
            "reference": Reference(schema),
            "schema_version": fingerprint,
            "rate_address": rate_text(settings.API_RATE_PER_ADDRESS),
            "rate_user": rate_text(settings.API_RATE_PER_USER),
            "max_body_kb": settings.API_MAX_BODY_BYTES // 1024,
        },
    )
