from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innoclub.network.models import Municipality, Profile, Topic
from innoclub.network.photos import photo_reencode


class MunicipalityChoiceField(forms.ModelChoiceField[Municipality]):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.get_state_display()})"


class ActiveTopicsField(forms.ModelMultipleChoiceField):
    """Topics that are not archived, as a list of KERN checkboxes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=Topic.objects.filter(is_active=True),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
            **kwargs,
        )


class ProfileForm(forms.ModelForm[Profile]):
    """The profile a member or partner edits (and fills in during onboarding)."""

    topics = ActiveTopicsField(label=_("Topics of expertise"))
    photo_upload = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB. We cut it square and remove its metadata."),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = Profile
        fields = [*Profile.EDITABLE_FIELDS, "topics"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "can_help_with": forms.Textarea(attrs={"rows": 3}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partner = partner
        # Members name their function; external partners their organisation and sector.
        if partner:
            del self.fields["function"]
        else:
            del self.fields["organisation"]
            del self.fields["sector"]
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def clean_photo_upload(self) -> Any:
        upload = self.cleaned_data.get("photo_upload")
        return photo_reencode(upload) if upload else None

    # Groups of fields for the sections of the form.
    def _group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    @property
    def about_fields(self) -> list[forms.BoundField]:
        return self._group(Profile.ABOUT_FIELDS)

    @property
    def share_fields(self) -> list[forms.BoundField]:
        return self._group((*Profile.SHARED_FIELDS, "photo_upload", "remove_photo"))

    @property
    def visibility_fields(self) -> list[forms.BoundField]:
        return self._group(Profile.VISIBILITY_FIELDS)
