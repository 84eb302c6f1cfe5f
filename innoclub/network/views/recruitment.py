"""Recruitment: members nominate, the office decides and invites, invitees join."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.network import recruitment as services
from innoclub.network import recruitment_selectors as selectors
from innoclub.network.forms import ProfileForm
from innoclub.network.models import Nomination
from innoclub.network.recruitment_forms import (
    AccountForm,
    DeclineForm,
    FormGroup,
    NominationForm,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Members ----------------------------------------------------------------


@access(Rule.MEMBERS)
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                nominated_by=_user(request),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                reason=data["reason"],
                function=data["function"],
                position=data["position"],
                municipality=data["municipality"],
                organisation=data["organisation"],
            )
        except services.RecruitmentError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your nomination of %(name)s has reached the club office. "
                    "You can follow it here."
                )
                % {"name": nomination},
            )
            return redirect("recruitment:my_nominations")
    status = 400 if form.is_bound else 200
    return render(request, "network/recruitment/nominate.html", {"form": form}, status=status)


@access(Rule.MEMBERS)
@require_safe
def my_nominations(request: HttpRequest) -> HttpResponse:
    nominations = selectors.nomination_list_for_member(user=_user(request))
    return render(
        request, "network/recruitment/my_nominations.html", {"nominations": list(nominations)}
    )


# --- The club office ------------------------------------------------------------


@access(Rule.STAFF)
@require_safe
def pipeline(request: HttpRequest) -> HttpResponse:
    stages = selectors.nomination_pipeline()
    return render(
        request,
        "network/recruitment/pipeline.html",
        {
            "stages": stages,
            "overdue": sum(stage.overdue_count for stage in stages),
            "overdue_days": selectors.OVERDUE_DAYS,
        },
    )


@access(Rule.STAFF)
@require_safe
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One nomination: its details, the decision and the invitations."""
    return _render_review(request, pk=pk, form=DeclineForm())


def _render_review(request: HttpRequest, *, pk: int, form: DeclineForm) -> HttpResponse:
    review = selectors.nomination_review_get(pk=pk)
    return render(
        request,
        "network/recruitment/review.html",
        {
            "review": review,
            "nomination": review.nomination,
            "form": form,
            "overdue_days": selectors.OVERDUE_DAYS,
            "invitation_days": services.invitation_days(),
        },
        status=400 if form.is_bound else 200,
    )


def _staff_step(request: HttpRequest, pk: int, step: Callable[[Nomination], str]) -> HttpResponse:
    """Run one step of the admission on a nomination and report it back on its page.

    ``step`` calls the service and returns the success message; a refusal of
    the service becomes an error message, and nothing has changed then.
    """
    nomination = selectors.nomination_get(pk=pk)
    try:
        messages.success(request, step(nomination))
    except services.RecruitmentError as error:
        messages.error(request, error.message)
    return redirect("recruitment:review", pk=pk)


@access(Rule.STAFF)
@require_POST
def accept_nomination(request: HttpRequest, pk: int) -> HttpResponse:
    def step(nomination: Nomination) -> str:
        services.nomination_accept(nomination=nomination, decided_by=_user(request))
        return _("%(name)s has been accepted. You can send the invitation now.") % {
            "name": nomination
        }

    return _staff_step(request, pk, step)


@access(Rule.STAFF)
@require_POST
def decline_nomination(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _render_review(request, pk=pk, form=form)

    def step(nomination: Nomination) -> str:
        services.nomination_decline(
            nomination=nomination, decided_by=_user(request), reason=form.cleaned_data["reason"]
        )
        return _("The nomination of %(name)s has been declined.") % {"name": nomination}

    return _staff_step(request, pk, step)


@access(Rule.STAFF)
@require_POST
def invitation_send(request: HttpRequest, pk: int) -> HttpResponse:
    def step(nomination: Nomination) -> str:
        invitation = services.invitation_send(nomination=nomination, sent_by=_user(request))
        return _("The invitation has been sent to %(email)s.") % {"email": invitation.email}

    return _staff_step(request, pk, step)


@access(Rule.STAFF)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    def step(nomination: Nomination) -> str:
        invitation = services.invitation_resend(nomination=nomination, sent_by=_user(request))
        return _(
            "A new invitation has been sent to %(email)s. The previous link no longer works."
        ) % {"email": invitation.email}

    return _staff_step(request, pk, step)


@access(Rule.STAFF)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    def step(nomination: Nomination) -> str:
        services.invitation_revoke(nomination=nomination, revoked_by=_user(request))
        return _("The invitation has been withdrawn. Its link no longer works.")

    return _staff_step(request, pk, step)


# --- The invitee -----------------------------------------------------------------


def _unusable(request: HttpRequest, error: services.InvitationUnusable) -> HttpResponse:
    return render(
        request,
        "network/recruitment/invitation_unusable.html",
        {"error": error},
        # Unknown and tampered links are "not found"; links that existed but
        # can no longer be used are "gone".
        status=404 if error.code == "unknown" else 410,
    )


def _language() -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@access(Rule.PUBLIC)
@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set a password, fill in the profile, become a member.

    One page, so that it works without JavaScript and nothing entered is lost
    when the form comes back with errors (passwords and a chosen photo are,
    as everywhere, not sent back to the browser).
    """
    try:
        invitation = selectors.invitation_get_usable(token=token)
    except services.InvitationUnusable as error:
        return _unusable(request, error)
    if request.user.is_authenticated:
        # Accepting would sign the current user out; say so instead of doing it.
        return render(
            request, "network/recruitment/accept_signed_in.html", {"invitation": invitation}
        )

    nomination = invitation.nomination
    partner = nomination.municipality_id is None and bool(nomination.organisation)
    account_form = AccountForm(request.POST or None, invitation=invitation)
    profile_form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        partner=partner,
        initial={
            "function": nomination.function,
            "position": nomination.position,
            "organisation": nomination.organisation,
        },
    )
    if request.method == "POST" and all([account_form.is_valid(), profile_form.is_valid()]):
        profile_fields = dict(profile_form.cleaned_data)
        topics = list(profile_fields.pop("topics"))
        photo = profile_fields.pop("photo_upload", None)
        profile_fields.pop("remove_photo", None)
        try:
            user = services.invitation_accept(
                token=token,
                first_name=account_form.cleaned_data["first_name"],
                last_name=account_form.cleaned_data["last_name"],
                password=account_form.cleaned_data["password1"],
                profile_fields=profile_fields,
                topics=topics,
                photo=photo,
                language=_language(),
            )
        except services.InvitationUnusable as error:
            return _unusable(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Welcome to the Innovators Club, %(name)s! Your account is ready and you are "
                "signed in. From now on you sign in with %(email)s and your password."
            )
            % {"name": user.get_full_name(), "email": user.email},
        )
        return redirect("accounts:account")
    status = 400 if account_form.is_bound else 200
    return render(
        request,
        "network/recruitment/accept.html",
        {
            "invitation": invitation,
            "nomination": nomination,
            "account_form": account_form,
            "profile_form": profile_form,
            "forms": FormGroup(account_form, profile_form),
            "lost_photo": bool(request.FILES),
        },
        status=status,
    )
