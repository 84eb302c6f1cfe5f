"""The forms of the idea forge: writing and editing an idea, attaching a file.

Views hand the cleaned data to ``services.idea_create`` / ``services.idea_update``;
refusals the services raise go back onto the form through ``add_refusal``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from innoclub.accounts.models import Role, User
from innoclub.core import access
from innoclub.core.access import Visibility
from innoclub.core.forms import add_refusal
from innoclub.events import selectors as event_selectors
from innoclub.events.documentation import CONTENT_TYPES
from innoclub.events.models import Session
from innoclub.ideas.models import GROUP, IDEA_VISIBILITIES, Idea, IdeaGroup, Kind, Stage
from innoclub.ideas.services import TEXT_FIELDS
from innoclub.network.forms import MunicipalityChoiceField
from innoclub.network.models import Municipality, Topic

MARKDOWN_HINT = _("Markdown: ## for a heading, *italic*, **bold**, [link](https://…).")
PLEASE_CHOOSE = _("Please choose")
# The concept's fields are shown in these stages, and whenever one of them is filled in.
CONCEPT_STAGES = (Stage.CONCEPT, Stage.PILOT, Stage.TRANSFER, Stage.DEFERRED)


class GroupedRadios(forms.RadioSelect):
    """Choices drawn as a fieldset: the error summary links to its legend."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class GroupedCheckboxes(GroupedRadios, forms.CheckboxSelectMultiple):
    """Checkboxes drawn as a fieldset, linked from the error summary like the radios."""


class PeopleField(forms.ModelMultipleChoiceField):
    """Members by name and municipality, so that two of the same name can be told apart."""

    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.email
        return f"{name} – {obj.municipality.name}" if obj.municipality else name


def _textarea(label: Any, name: str, *, rows: int, required: bool = True, hint: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=getattr(Idea._meta.get_field(name), "max_length", None),
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=format_lazy("{} {}", hint, MARKDOWN_HINT) if hint else MARKDOWN_HINT,
    )


class IdeaForm(forms.Form):
    """A new idea, or the edit of one (``idea``); what ``user`` may choose depends on who they are.

    Members choose co-authors among the members in the directory and are
    themselves an author; the club office names the (member) authors and is
    none. The concept's fields appear once the idea has reached the concept.
    """

    title = forms.CharField(
        label=_("Title"),
        max_length=Idea._meta.get_field("title").max_length,
        help_text=_("A short sentence that says what the idea is about."),
    )
    problem = _textarea(
        _("Which problem does it solve?"),
        "problem",
        rows=5,
        hint=_("Who has the problem, and how does it show?"),
    )
    proposal = _textarea(
        _("What do you propose?"),
        "proposal",
        rows=8,
        hint=_("Describe the solution so that other municipalities can picture it."),
    )
    kind = forms.ChoiceField(label=_("Kind of idea"), choices=Kind.choices, widget=GroupedRadios)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False, widget=GroupedCheckboxes
    )
    municipality = MunicipalityChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("No municipality"),
        help_text=_("Where the idea comes from or where it would be tried first."),
    )
    context = _textarea(
        _("Situation in the municipality"),
        "context",
        rows=4,
        required=False,
        hint=_("What is special about the place: size, previous attempts, partners."),
    )
    origin_session = forms.ChoiceField(
        label=_("Born in a forum session"),
        required=False,
        help_text=_("If the idea came up at a forum, choose the session: both pages then link."),
    )
    people = PeopleField(
        label=_("Co-authors"),
        queryset=User.objects.none(),
        required=False,
        widget=GroupedCheckboxes,
    )
    visibility = forms.ChoiceField(
        label=_("Who may see the idea?"),
        choices=IDEA_VISIBILITIES,
        initial=Visibility.MEMBERS,
        widget=GroupedRadios,
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=IdeaGroup.objects.none(),
        required=False,
        empty_label=PLEASE_CHOOSE,
        help_text=_("Only needed when the idea is shared with a group."),
    )
    goals = _textarea(_("Goals"), "goals", rows=4, required=False)
    audience = _textarea(_("Target group"), "audience", rows=3, required=False)
    resources = _textarea(_("Resources needed"), "resources", rows=4, required=False)
    risks = _textarea(_("Risks"), "risks", rows=4, required=False)
    success_criteria = _textarea(_("Success criteria"), "success_criteria", rows=4, required=False)

    def __init__(self, *args: Any, user: User, idea: Idea | None = None, **kwargs: Any) -> None:
        self.user = user
        self.idea = idea
        self.office = access.is_staff(user)
        authors = list(idea.authors.all()) if idea is not None else []
        if idea is not None:
            kwargs.setdefault("initial", self._initial_of(idea, authors))
        else:
            kwargs["initial"] = {"municipality": user.municipality_id, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self._set_choices(authors)
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "data-hx-get": reverse("ideas:similar"),
                "data-hx-trigger": "input changed delay:500ms",
                "data-hx-target": "#aehnliche-ideen",
            }
        )
        if idea is not None:
            self.fields["title"].widget.attrs["data-hx-vals"] = f'{{"ausser": {idea.pk}}}'
        if not self.shows_concept:
            for name in Idea.CONCEPT_FIELDS:
                del self.fields[name]

    # --- Choices ------------------------------------------------------------

    def _initial_of(self, idea: Idea, authors: list[User]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(idea, name)
            for name in ("title", "problem", "proposal", "kind", "context", "visibility")
        }
        initial.update({name: getattr(idea, name) for name in Idea.CONCEPT_FIELDS})
        initial["topics"] = [topic.pk for topic in idea.topics.all()]
        initial["municipality"] = idea.municipality_id
        initial["origin_session"] = str(idea.origin_session_id or "")
        initial["group"] = idea.group_id
        initial["people"] = [
            person.pk for person in authors if self.office or person.pk != self.user.pk
        ]
        return initial

    def _set_choices(self, authors: list[User]) -> None:
        idea = self.idea
        current_topics = [topic.pk for topic in idea.topics.all()] if idea else []
        # Archived topics are not offered, but an idea keeps the ones it has.
        self.fields["topics"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk__in=current_topics)
        ).order_by("name")
        self.fields["municipality"].queryset = self._municipalities()  # type: ignore[attr-defined]
        self.fields["origin_session"].choices = self._session_choices()  # type: ignore[attr-defined]
        self._people(authors)
        groups = IdeaGroup.objects.all()
        if not self.office:
            groups = groups.filter(
                Q(members=self.user) | Q(pk=idea.group_id if idea else None)
            ).distinct()
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        if not groups.exists():
            del self.fields["group"]
            self.fields["visibility"].choices = [  # type: ignore[attr-defined]
                choice for choice in IDEA_VISIBILITIES if choice[0] != GROUP
            ]

    def _municipalities(self) -> QuerySet[Municipality]:
        """Municipalities of the club's members: the place of an idea is one of theirs.

        (The full register has some 11,000 entries, too many for a list.)
        """
        keep = [self.user.municipality_id, self.idea.municipality_id if self.idea else None]
        with_members = Q(users__role=Role.MEMBER, users__is_active=True)
        return (
            Municipality.objects.filter(with_members | Q(pk__in=[pk for pk in keep if pk]))
            .distinct()
            .order_by("name", "pk")
        )

    def _session_choices(self) -> list[tuple[str, Any]]:
        """Sessions of the forums the person may see that have begun, grouped by forum."""
        begun = event_selectors.events_visible(self.user).filter(
            starts_on__lte=timezone.localdate()
        )
        current = self.idea.origin_session_id if self.idea else None
        sessions = (
            Session.objects.filter(Q(event__in=begun.values("pk")) | Q(pk=current))
            .select_related("event")
            .order_by("-event__starts_on", "event_id", "starts_at", "pk")
        )
        self._sessions: dict[str, Session] = {}
        groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
        for session in sessions:
            self._sessions[str(session.pk)] = session
            event = session.event
            label = f"{event.title} ({event.starts_on:%m/%Y})"
            groups.setdefault(event.pk, (label, []))[1].append((str(session.pk), session.title))
        return [("", _("No forum session")), *groups.values()]

    def _people(self, authors: list[User]) -> None:
        """Members to choose as (co-)authors.

        Members see the members who appear in the directory (the others did
        not agree to be found) and whoever is an author already; the office
        sees every active member.
        """
        field = self.fields["people"]
        author_ids = [person.pk for person in authors]
        people = User.objects.filter(role=Role.MEMBER, is_active=True)
        if self.office:
            field.label = _("Authors")
            field.required = True
            field.help_text = _(
                "The members who brought in the idea. They can edit it; "
                "the club office does not become an author."
            )
            field.error_messages["required"] = _("Please name at least one member as author.")
        else:
            people = people.filter(profile__in_directory=True, profile__left_on__isnull=True)
            field.help_text = _(
                "Other members who write the idea with you; they can edit it too. "
                "You can choose the members who appear in the members' directory."
            )
        chosen = User.objects.filter(pk__in=author_ids)
        people = (people | chosen).exclude(pk=self.user.pk).distinct()
        # Those already chosen come first, so that they are seen at once.
        field.queryset = people.select_related("municipality").order_by(  # type: ignore[attr-defined]
            Case(When(pk__in=author_ids, then=Value(0)), default=Value(1)),
            "last_name",
            "first_name",
            "pk",
        )

    # --- Sections and cleaning ------------------------------------------------

    @property
    def shows_concept(self) -> bool:
        idea = self.idea
        if idea is None:
            return False
        return idea.stage in CONCEPT_STAGES or any(
            getattr(idea, name) for name in Idea.CONCEPT_FIELDS
        )

    @property
    def concept_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in Idea.CONCEPT_FIELDS if name in self.fields]

    def clean_origin_session(self) -> Session | None:
        value = self.cleaned_data.get("origin_session") or ""
        return self._sessions.get(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("visibility") != GROUP:
            data["group"] = None
        return data

    def idea_fields(self) -> dict[str, Any]:
        """What ``services.idea_update`` saves on the idea's row."""
        names = [
            *TEXT_FIELDS,
            "municipality",
            "origin_session",
            "visibility",
            *[name for name in Idea.CONCEPT_FIELDS if name in self.fields],
        ]
        fields = {name: self.cleaned_data[name] for name in names}
        fields["group"] = self.cleaned_data.get("group")
        return fields

    def authors(self) -> list[User]:
        """The idea's authors: the chosen members, and the writer unless it is the office."""
        chosen = list(self.cleaned_data.get("people") or [])
        return chosen if self.office else [self.user, *chosen]

    def add_refusal(self, refusal: ValidationError) -> None:
        """Put a service's refusal onto the field it names, or onto the whole form."""
        add_refusal(self, refusal, rename={"authors": "people"})


class AttachmentForm(forms.Form):
    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PowerPoint, Word, Excel, OpenDocument, PNG or JPEG; at most 10 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = ",".join(CONTENT_TYPES)
