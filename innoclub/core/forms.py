from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innoclub.core.models import AccessibilityFeedback, LegalPage


def add_refusal(
    form: forms.BaseForm, refusal: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: on the field it names (``rename`` maps a
    service's argument to the form's field), otherwise on the whole form."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal)
        return
    for name, errors in refusal.error_dict.items():
        target = (rename or {}).get(name, name)
        form.add_error(target if target in form.fields else None, errors)


class FeedbackForm(forms.ModelForm[AccessibilityFeedback]):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        labels = {
            "message": _("Your message"),
            "page_url": _("Which page or content is it about?"),
            "name": _("Your name"),
            "email": _("Your e-mail address for a reply"),
        }
        help_texts = {
            "message": _("Describe the barrier you met. At most 5,000 characters."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Please write a message."))
        return message


class LegalPageForm(forms.ModelForm[LegalPage]):
    class Meta:
        model = LegalPage
        fields = ["title", "body"]
        help_texts = {
            "body": _(
                "Markdown: ## for headings, **bold**, [link text](https://…). HTML is not allowed."
            ),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}
