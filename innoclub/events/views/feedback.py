"""The survey after an event: participants answer once, the office reads the results."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.models import User
from innoclub.core.access import Rule, access
from innoclub.events import feedback, selectors
from innoclub.events.models import Session

SCALE = [
    ("1", gettext_lazy("1 – poor")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", gettext_lazy("5 – excellent")),
]


class SurveyForm(forms.Form):
    overall = forms.ChoiceField(
        label=gettext_lazy("How do you rate the event as a whole?"),
        choices=SCALE,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Please rate the event as a whole.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("What should we keep, what should we change?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Please do not name yourself or others if you want to stay anonymous."
        ),
    )

    def __init__(self, *args: Any, sessions: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = sessions
        for session in sessions:
            self.fields[f"session_{session.pk}"] = forms.ChoiceField(
                label=session.title,
                choices=[("", _("No answer")), *SCALE],
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )

    def session_fields(self) -> list[tuple[Session, forms.BoundField]]:
        return [(session, self[f"session_{session.pk}"]) for session in self.sessions]

    def session_ratings(self) -> dict[int, int]:
        return {
            session.pk: int(self.cleaned_data[f"session_{session.pk}"])
            for session in self.sessions
            if self.cleaned_data.get(f"session_{session.pk}")
        }


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    event = selectors.event_for_viewer(user=user, slug=slug)
    refusal = feedback.feedback_refusal(event=event, user=user)
    context: dict[str, Any] = {"event": event, "refusal": refusal}
    if refusal:
        return render(request, "events/feedback_survey.html", context, status=403)
    if feedback.feedback_given(event=event, user=user):
        context["already"] = True
        return render(
            request,
            "events/feedback_survey.html",
            context,
            status=409 if request.method == "POST" else 200,
        )
    form = SurveyForm(request.POST or None, sessions=feedback.rated_sessions(event))
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_submit(
                event=event,
                user=user,
                overall=int(form.cleaned_data["overall"]),
                session_ratings=form.session_ratings(),
                comment=form.cleaned_data["comment"],
            )
        except feedback.FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Thank you for your answer! It is stored without your name.")
            )
        return redirect("events:feedback", slug=event.slug)
    context["form"] = form
    return render(
        request, "events/feedback_survey.html", context, status=400 if form.is_bound else 200
    )


@access(Rule.STAFF)
@require_safe
def office_results(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_viewer(user=request.user, slug=slug)
    return render(
        request,
        "events/feedback_results.html",
        {"event": event, "results": feedback.feedback_results(event)},
    )
