"""A person's notifications from the idea forge and their e-mail setting,
at /konto/benachrichtigungen/."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.ideas import notifications, selectors
from innoclub.ideas.models import Frequency


class SettingForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("E-mails about ideas"),
        choices=Frequency.choices,
        widget=forms.RadioSelect(attrs={"class": "kern-form-check__radio"}),
        error_messages={
            "required": gettext_lazy("Please choose how often we write to you."),
            "invalid_choice": gettext_lazy("Please choose how often we write to you."),
        },
    )


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The list (newest first, unread marked), "mark all as read" and the e-mail setting."""
    user: User = request.user  # type: ignore[assignment]
    action = request.POST.get("aktion", "")
    form = SettingForm(
        request.POST if action == "einstellung" else None,
        initial={"frequency": notifications.frequency_of(user)},
    )
    if request.method == "POST":
        if action == "gelesen":
            notifications.notifications_mark_read(user=user)
            messages.success(request, _("All notifications are marked as read."))
            return HttpResponseRedirect(reverse("idea_notifications:list"))
        if form.is_valid():
            notifications.notification_setting_update(
                user=user, frequency=form.cleaned_data["frequency"]
            )
            messages.success(request, _("Your e-mail setting has been saved."))
            return HttpResponseRedirect(reverse("idea_notifications:list") + "#einstellung")
    return render(
        request,
        "ideas/notifications.html",
        {
            "notifications": selectors.notifications_of(user=user),
            "unread": selectors.unread_count(user=user),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
