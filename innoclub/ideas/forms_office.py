"""Forms of the club office's idea pages and of the evaluators' scoring page.

The services decide; these forms only parse. The move form's stage is a plain
text field on purpose: a stage that may not follow (say, after a colleague
moved the idea meanwhile) reaches ``idea_move_to_stage``, which refuses it with
its German message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import User
from innoclub.ideas.evaluation import SCORE_MAX, SCORE_MIN
from innoclub.ideas.models import Criterion, Idea, Stage
from innoclub.ideas.stages import next_stages
from innoclub.pilots.models import PilotProject

NEW_PILOT, EXISTING_PILOT = "neu", "vorhanden"
RATIONALE_MISSING = _("Please give the authors a reason for this step.")


class MoveForm(forms.Form):
    to_stage = forms.CharField(
        label=_("New stage"),
        widget=forms.Select,
        error_messages={"required": _("Please choose the new stage.")},
    )
    rationale = forms.CharField(
        label=_("Reason (visible to the authors)"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The authors and followers read it in the idea's history."),
        error_messages={"required": RATIONALE_MISSING},
    )
    pilot_choice = forms.ChoiceField(
        label=_("Pilot project"),
        choices=[
            (NEW_PILOT, _("Create a new pilot project")),
            (EXISTING_PILOT, _("Link an existing pilot project")),
        ],
        initial=NEW_PILOT,
        required=False,
        widget=forms.RadioSelect,
    )
    pilot_title = forms.CharField(
        label=_("Title of the new pilot project"), max_length=200, required=False
    )
    pilot = forms.ModelChoiceField(
        label=_("Existing pilot project"),
        queryset=PilotProject.objects.order_by("title"),
        required=False,
        empty_label=_("– please choose –"),
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.moves = [(stage, Stage(stage).label) for stage in next_stages(idea.stage)]
        self.fields["to_stage"].widget.choices = [("", _("– please choose –")), *self.moves]
        self.fields["pilot_title"].initial = idea.title
        if Stage.PILOT not in next_stages(idea.stage):
            for name in ("pilot_choice", "pilot_title", "pilot"):
                del self.fields[name]
        elif idea.pilot_id is not None:
            # Back to the pilot after a step back: the pilot it had is the likely one.
            self.fields["pilot_choice"].initial = EXISTING_PILOT
            self.fields["pilot"].initial = idea.pilot_id

    @property
    def offers_pilot(self) -> bool:
        return "pilot" in self.fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("to_stage") == Stage.PILOT
            and self.offers_pilot
            and data.get("pilot_choice") == EXISTING_PILOT
            and data.get("pilot") is None
        ):
            self.add_error("pilot", gettext("Please choose the pilot project to link."))
        return data

    def pilot_arguments(self) -> dict[str, Any]:
        """What ``idea_move_to_stage`` needs to create or link the pilot."""
        data = self.cleaned_data
        if data["to_stage"] != Stage.PILOT or not self.offers_pilot:
            return {}
        if data.get("pilot_choice") == EXISTING_PILOT:
            return {"pilot": data["pilot"]}
        return {"pilot_title": data.get("pilot_title") or ""}


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author of the comment is told)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give the author a reason.")},
    )


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(
        label=_("Ask a person to evaluate"),
        queryset=User.objects.none(),
        empty_label=_("– please choose –"),
        help_text=_("Members, guests and the club office; the person is notified."),
        error_messages={
            "required": _("Please choose the person to ask."),
            "invalid_choice": _("Please choose the person to ask."),
        },
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True)
            .exclude(Q(idea_evaluations__idea=idea))
            .order_by("last_name", "first_name", "email")
        )
        self.fields["evaluator"].label_from_instance = _person_label  # type: ignore[attr-defined]


def _person_label(user: User) -> str:
    name = user.get_full_name() or user.email
    return f"{name} ({user.get_role_display()})"


class EvaluationForm(forms.Form):
    """One 1–5 score per criterion in use, and the note for the office."""

    note = forms.CharField(
        label=_("Note for the club office (only visible there)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("The note can have at most 3000 characters.")},
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scale = [
            (str(value), label)
            for value, label in [
                (1, _("1 – weak")),
                (2, "2"),
                (3, "3"),
                (4, "4"),
                (5, _("5 – strong")),
            ]
        ]
        for criterion in criteria:
            message = gettext("Please give “%(criterion)s” a score from %(min)d to %(max)d.") % {
                "criterion": criterion.name,
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name,
                choices=scale,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
        # The note comes last, after the scores.
        self.fields["note"] = self.fields.pop("note")

    def criterion_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(criterion, self[f"criterion_{criterion.pk}"]) for criterion in self.criteria]

    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: int(self.cleaned_data[f"criterion_{criterion.pk}"])
            for criterion in self.criteria
        }
