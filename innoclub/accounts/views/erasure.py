"""Deleting an account: the member's own page (/konto/loeschen/) and the club
office's page for a deletion on request (/geschaeftsstelle/konten/<id>/loeschen/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.erasure import ErasureError, account_erase, account_erase_refusal
from innoclub.accounts.forms_erasure import AccountEraseForm, OfficeAccountEraseForm
from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.events import selectors as event_selectors


@access(Rule.AUTHENTICATED)
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def account_erase_view(request: HttpRequest) -> HttpResponse:
    """Explains what deleting means; deletes after the current password and a
    checkbox, then signs the person out. The password goes through the
    authentication backends, so failed attempts count towards the lockout."""
    user: User = request.user  # type: ignore[assignment]
    form = AccountEraseForm(request.POST or None)
    refusal = account_erase_refusal(user=user, by=user)
    if request.method == "POST" and form.is_valid():
        if refusal is not None:
            form.add_error(None, refusal)
        elif (
            authenticate(request, username=user.email, password=form.cleaned_data["password"])
            is None
        ):
            form.add_error(
                "password",
                _("The password is not correct. Your account has not been deleted."),
            )
        else:
            try:
                account_erase(user=user, by=user, request=request)
            except ErasureError as error:
                form.add_error(None, str(error))
            else:
                logout(request)
                return redirect("accounts:erased")
    return render(
        request,
        "accounts/account_erase.html",
        {
            "form": form,
            "refusal": refusal,
            "registrations": event_selectors.registrations_upcoming(user=user),
        },
        status=400 if form.is_bound else 200,
    )


@access(Rule.PUBLIC)
@require_safe
def account_erased(request: HttpRequest) -> HttpResponse:
    """The confirmation after the deletion; the person is signed out by then."""
    return render(request, "accounts/account_erased.html")


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def office_account_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """The office deletes an account on the person's request, after typing its
    address. Not its own account (that is the person's own page) and never the
    last office account."""
    staff: User = request.user  # type: ignore[assignment]
    person = get_object_or_404(
        User.objects.select_related("municipality"), pk=pk, erased_at__isnull=True
    )
    if person.pk == staff.pk:
        refusal: str | None = _(
            "You cannot delete your own account here. Use the page in your account."
        )
    else:
        refusal = account_erase_refusal(user=person, by=staff)
    form = OfficeAccountEraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        if refusal is not None:
            form.add_error(None, refusal)
        else:
            try:
                account_erase(user=person, by=staff, request=request)
            except ErasureError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The account has been deleted. The person has been informed by e-mail."),
                )
                return redirect("core:office_home")
    return render(
        request,
        "accounts/office_account_erase.html",
        {"form": form, "person": person, "refusal": refusal},
        status=400 if form.is_bound else 200,
    )
