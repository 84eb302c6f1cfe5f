"""Forms of the pilot pages: the pilot itself, its lists (participants, milestones,
funding, indicators) as formsets, and documents.

The forms parse input. The rules live in ``services``: the pilot form gets a
service's refusal back through ``add_refusal``; the rows call the services'
``*_problems`` checks in ``clean`` so that a message appears at its field.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import Role, User
from innoclub.core.access import Visibility, is_staff
from innoclub.events.documentation import CONTENT_TYPES
from innoclub.ideas.forms import (
    MARKDOWN_HINT,
    PLEASE_CHOOSE,
    GroupedCheckboxes,
    GroupedRadios,
    PeopleField,
)
from innoclub.network.models import Municipality, Topic
from innoclub.pilots import services
from innoclub.pilots.models import (
    PILOT_VISIBILITIES,
    DocumentKind,
    IndicatorUnit,
    MilestoneState,
    PilotProject,
    PilotState,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Please enter a date, for example 15.03.2025.")}
NUMBER_ERRORS = {
    "invalid": _("Please enter a number."),
    "max_decimal_places": _("Please enter at most two decimal places."),
    "max_digits": _("The number is too large."),
    "max_whole_digits": _("The number is too large."),
}
UPLOAD_HINT = _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG; at most 10 MB.")


def _number(label: Any, *, max_digits: int, required: bool = False, hint: Any = "") -> Any:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=max_digits,
        decimal_places=2,
        help_text=hint,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        error_messages=NUMBER_ERRORS,
    )


def _text(label: Any, *, rows: int, hint: Any = "", max_length: int | None = None) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=format_lazy("{} {}", hint, MARKDOWN_HINT) if hint else MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MunicipalityField(forms.CharField):
    """A municipality by its name or its official key (AGS).

    The register holds some 11,000 municipalities, too many for a list; a name
    that several share needs the key, which the field shows after the name.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("The name, for example “Fulda”, or the official key (AGS, 8 digits)."),
        )
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = "220"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Municipality):
            return f"{value.name} ({value.ags})"
        return value

    def to_python(self, value: Any) -> Municipality | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip()[:220]
        if not text:
            return None
        key = re.search(r"\b(\d{8})\)?$", text)
        if key:
            found = Municipality.objects.filter(ags=key.group(1)).first()
            if found is None:
                raise ValidationError(
                    _("No municipality has the key %(ags)s.") % {"ags": key.group(1)}
                )
            return found
        matches = list(Municipality.objects.filter(name__iexact=text).order_by("ags")[:2])
        if not matches:
            raise ValidationError(
                _(
                    "We do not know a municipality called “%(name)s”. Please check the "
                    "spelling or enter its official key (AGS)."
                )
                % {"name": text}
            )
        if len(matches) > 1:
            raise ValidationError(
                _(
                    "Several municipalities are called “%(name)s”. Please add the official "
                    "key (AGS), for example “%(example)s”."
                )
                % {"name": text, "example": f"{matches[0].name} ({matches[0].ags})"}
            )
        return matches[0]


# --- The pilot ---------------------------------------------------------------------


class PilotForm(forms.Form):
    """A new pilot (office) or the edit of one (``pilot``).

    Contact people edit texts, dates and budget; the office also state,
    visibility, lead municipality, contacts and topics (the others' fields are
    removed from their form).
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("The address of the page is made from the first title and stays the same."),
    )
    summary = _text(_("Summary"), rows=6, hint=_("What the pilot tries, where and for whom."))
    starts_on = forms.DateField(
        label=_("Start"), required=False, widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )
    ends_on = forms.DateField(
        label=_("End"),
        required=False,
        help_text=_("Planned or actual end."),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )
    budget = _number(_("Budget in euros"), max_digits=12, hint=_("The total cost of the pilot."))
    results = _text(_("Results"), rows=6)
    lessons_learned = _text(
        _("What we learned"),
        rows=6,
        hint=_("What others should know before they take up the solution."),
    )
    state = forms.ChoiceField(label=_("State"), choices=PilotState.choices)
    visibility = forms.ChoiceField(
        label=_("Who may see the pilot project?"),
        choices=PILOT_VISIBILITIES,
        initial=Visibility.MEMBERS,
        widget=GroupedRadios,
    )
    lead_municipality = MunicipalityField(label=_("Lead municipality"), required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False, widget=GroupedCheckboxes
    )
    contacts = PeopleField(
        label=_("Contact people"),
        queryset=User.objects.none(),
        required=False,
        widget=GroupedCheckboxes,
        help_text=_("Members who answer questions about the pilot. They may edit it."),
    )

    def __init__(self, *args: Any, user: User, pilot: PilotProject | None = None, **kwargs: Any):
        self.office = is_staff(user)
        if pilot is not None:
            kwargs.setdefault("initial", self._initial_of(pilot))
        super().__init__(*args, **kwargs)
        if not self.office:
            for name in services.STAFF_FIELDS | {"topics", "contacts"}:
                del self.fields[name]
            return
        current_topics = [topic.pk for topic in pilot.topics.all()] if pilot else []
        self.fields["topics"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk__in=current_topics)
        ).order_by("name")
        current = self.initial.get("contacts") or []
        # Those already named come first, so that they are seen at once.
        self.fields["contacts"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(Q(role=Role.MEMBER, is_active=True) | Q(pk__in=current))
            .select_related("municipality")
            .order_by(
                Case(When(pk__in=current, then=Value(0)), default=Value(1)),
                "last_name",
                "first_name",
                "pk",
            )
        )

    @staticmethod
    def _initial_of(pilot: PilotProject) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(pilot, name) for name in services.EDITOR_FIELDS | services.STAFF_FIELDS
        }
        initial["topics"] = [topic.pk for topic in pilot.topics.all()]
        initial["contacts"] = [person.pk for person in pilot.contacts.all()]
        return initial

    def pilot_fields(self) -> dict[str, Any]:
        """What ``services.pilot_create`` / ``pilot_update`` save on the pilot's row."""
        names = services.EDITOR_FIELDS | (services.STAFF_FIELDS if self.office else set())
        return {name: self.cleaned_data[name] for name in sorted(names)}

    def links(self) -> dict[str, Any]:
        """Topics and contacts, for the office only (the services refuse them otherwise)."""
        if not self.office:
            return {}
        return {
            "topics": list(self.cleaned_data["topics"]),
            "contacts": list(self.cleaned_data["contacts"]),
        }


# --- The pilot's lists as formsets --------------------------------------------------


class RowForm(forms.Form):
    """One row of a list; ``problems`` is the service's check of the row."""

    def row(self) -> Any:
        raise NotImplementedError

    def problems(self) -> dict[str, str]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for name, problem in self.problems().items():
                self.add_error(name, problem)
        return data


class RowFormSet(forms.BaseFormSet):
    """Rows kept: the existing ones not marked for removal, and the new ones filled in."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove this row")

    def kept_forms(self) -> list[RowForm]:
        kept = []
        for index, form in enumerate(self.forms):
            if form.cleaned_data.get(DELETION_FIELD_NAME):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append(form)
        return kept

    def rows(self) -> list[Any]:
        return [form.row() for form in self.kept_forms()]


class ParticipantForm(RowForm):
    municipality = MunicipalityField(
        label=_("Municipality"), error_messages={"required": _("Please name the municipality.")}
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=120,
        help_text=_("For example “partner municipality” or “trial in a rural area”."),
        error_messages={"required": _("Please describe the municipality's role in the pilot.")},
    )

    def __init__(self, *args: Any, lead_id: int | None = None, **kwargs: Any) -> None:
        self.lead_id = lead_id
        super().__init__(*args, **kwargs)

    def row(self) -> services.ParticipantRow:
        return services.ParticipantRow(
            municipality=self.cleaned_data["municipality"], role=self.cleaned_data["role"]
        )

    def problems(self) -> dict[str, str]:
        return services.participant_problems(self.row(), lead_id=self.lead_id)


class ParticipantFormSet(RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        twice = services.duplicate_municipalities(self.rows())
        if twice:
            raise ValidationError(
                _("Each municipality can be listed once. Listed twice: %(names)s.")
                % {"names": ", ".join(twice)}
            )


class MilestoneForm(RowForm):
    title = forms.CharField(
        label=_("Milestone"),
        max_length=200,
        error_messages={"required": _("Please name the milestone.")},
    )
    due_on = forms.DateField(
        label=_("Planned for"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("Please enter the planned date.")},
    )
    state = forms.ChoiceField(
        label=_("State"), choices=MilestoneState.choices, initial=MilestoneState.OPEN
    )
    reached_on = forms.DateField(
        label=_("Reached on"),
        required=False,
        help_text=_("Only for a milestone that has been reached."),
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )

    def row(self) -> services.MilestoneRow:
        data = self.cleaned_data
        return services.MilestoneRow(
            title=data["title"],
            due_on=data["due_on"],
            state=data["state"],
            reached_on=data["reached_on"],
        )

    def problems(self) -> dict[str, str]:
        return services.milestone_problems(self.row())


class FundingForm(RowForm):
    name = forms.CharField(
        label=_("Funding source"),
        max_length=200,
        help_text=_("For example a funding programme of a ministry, or “own funds”."),
        error_messages={"required": _("Please name the funding source.")},
    )
    amount = _number(_("Amount in euros"), max_digits=12)

    def row(self) -> services.FundingRow:
        return services.FundingRow(
            name=self.cleaned_data["name"], amount=self.cleaned_data["amount"]
        )

    def problems(self) -> dict[str, str]:
        return services.funding_problems(self.row())


class IndicatorForm(RowForm):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        help_text=_("For example “share of applications filed online”."),
        error_messages={"required": _("Please name the indicator.")},
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[("", PLEASE_CHOOSE), *IndicatorUnit.choices],
        error_messages={"required": _("Please choose a unit.")},
    )
    before = _number(_("Value before the pilot"), max_digits=14)
    after = _number(_("Value after the pilot"), max_digits=14)
    higher_is_better = forms.BooleanField(
        label=_("Higher values are better"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("How it is measured"),
        max_length=300,
        required=False,
        help_text=_("Source and period, so that others can measure the same way."),
    )

    def row(self) -> services.IndicatorRow:
        data = self.cleaned_data
        return services.IndicatorRow(
            name=data["name"],
            unit=data["unit"],
            before=data["before"],
            after=data["after"],
            higher_is_better=data["higher_is_better"],
            note=data["note"],
            pk=data["pk"],
        )

    def problems(self) -> dict[str, str]:
        return services.indicator_problems(self.row())


class IndicatorFormSet(RowFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        twice = services.duplicate_indicator_names(self.rows())
        if twice:
            raise ValidationError(
                _("Each indicator needs its own name. Used twice: %(names)s.")
                % {"names": ", ".join(twice)}
            )


def row_formset(form: type[RowForm], formset: type[RowFormSet] = RowFormSet) -> Any:
    """Existing rows, two blank ones to add to, a box to remove each (at most 50 rows)."""
    return forms.formset_factory(
        form, formset=formset, extra=2, can_delete=True, max_num=50, validate_max=True
    )


# --- Documents ----------------------------------------------------------------------


class UploadField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            help_text=UPLOAD_HINT,
            error_messages={"required": _("Please choose a file.")},
            **kwargs,
        )
        self.widget.attrs["accept"] = ",".join(CONTENT_TYPES)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[("", PLEASE_CHOOSE), *DocumentKind.choices],
        error_messages={"required": _("Please choose the kind of document.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Template for the council resolution”."),
        error_messages={"required": _("Please give the document a title.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=1000,
        required=False,
        help_text=_("What the document is for and what others should adapt."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = UploadField(label=_("File"))


class VersionForm(forms.Form):
    upload = UploadField(label=_("New version of the file"))
    note = forms.CharField(
        label=_("What changed?"),
        max_length=300,
        required=False,
        help_text=_("A short note, for example “amounts for 2026 updated”."),
    )
