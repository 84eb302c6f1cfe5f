"""The participant's wishes: one drop-down per choice, grouped by time slot.

The fields follow the ranking groups of ``layout.ranking_groups``: a group
``z1`` with three choices gives the fields ``z1-1``, ``z1-2`` and ``z1-3``,
each offering only that group's workshops, so an id from another slot or
another event is refused as an invalid choice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innoclub.events.models import Session
from innoclub.workshops.layout import RankingGroup, Slot


def _time(moment: datetime.datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def slot_label(slot: Slot) -> str:
    """ "Donnerstag, 18. März, 14:00–15:30 Uhr"."""
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": formats.date_format(timezone.localtime(slot.starts_at), "l, j. F"),
        "start": _time(slot.starts_at),
        "end": _time(slot.ends_at),
    }


def group_label(group: RankingGroup) -> str:
    return slot_label(group.slot) if group.slot else _("All workshops")


def session_times(session: Session) -> str:
    """ "Do, 10:00–11:30 Uhr, Raum 1": when and where one run of a repeating workshop is."""
    text = _("%(day)s, %(start)s–%(end)s") % {
        "day": formats.date_format(timezone.localtime(session.starts_at), "D"),
        "start": _time(session.starts_at),
        "end": _time(session.ends_at),
    }
    return f"{text}, {session.room}" if session.room else text


def option_label(session: Session, runs: list[Session] | None = None) -> str:
    """The workshop's title and room; for a repeating workshop every time it runs."""
    if runs:
        return f"{session.title} ({'; '.join(session_times(run) for run in runs)})"
    return f"{session.title} – {session.room}" if session.room else session.title


@dataclass
class GroupFields:
    """A ranking group with its legend and bound fields, for the template."""

    group: RankingGroup
    legend: str
    fields: list[forms.BoundField]


class RankingForm(forms.Form):
    """Wishes per ranking group; ``choices()`` gives what ``services.choices_save`` takes."""

    EMPTY = gettext_lazy("– no answer –")

    def __init__(
        self,
        *args: Any,
        groups: list[RankingGroup],
        runs: dict[int, list[Session]] | None = None,
        initial_ranks: dict[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        """``runs`` maps a repeating workshop to all its sessions (for the option
        labels); ``initial_ranks`` is the person's stored wishes, session id → rank."""
        super().__init__(*args, **kwargs)
        self.groups = groups
        ranks = initial_ranks or {}
        runs = runs or {}
        for group in groups:
            mine = sorted(
                (ranks[session.pk], session.pk) for session in group.sessions if session.pk in ranks
            )
            options: list[tuple[Any, str]] = [("", str(self.EMPTY))]
            options += [
                (session.pk, option_label(session, runs.get(session.pk)))
                for session in group.sessions
            ]
            for number in range(1, group.choices + 1):
                name = self.field_name(group, number)
                self.fields[name] = forms.TypedChoiceField(
                    label=_("%(number)d. choice") % {"number": number},
                    choices=options,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    error_messages={
                        "invalid_choice": _(
                            "This workshop is not offered here. Please choose one from the list."
                        )
                    },
                )
                if number <= len(mine):
                    self.fields[name].initial = mine[number - 1][1]

    @staticmethod
    def field_name(group: RankingGroup, number: int) -> str:
        return f"{group.key}-{number}"

    def _names(self, group: RankingGroup) -> Iterable[str]:
        return (self.field_name(group, number) for number in range(1, group.choices + 1))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for group in self.groups:
            titles = {session.pk: session.title for session in group.sessions}
            seen: set[int] = set()
            for name in self._names(group):
                pk = cleaned.get(name)
                if pk is None:
                    continue
                if pk in seen:
                    self.add_error(
                        name,
                        _("You chose “%(title)s” more than once. Please choose it only once.")
                        % {"title": titles[pk]},
                    )
                seen.add(pk)
        return cleaned

    def choices(self) -> dict[str, list[int | None]]:
        """Per group key the chosen session ids in order of preference."""
        return {
            group.key: [self.cleaned_data.get(name) for name in self._names(group)]
            for group in self.groups
        }

    def by_group(self) -> list[GroupFields]:
        return [
            GroupFields(group, group_label(group), [self[name] for name in self._names(group)])
            for group in self.groups
        ]
