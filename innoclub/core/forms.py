from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innoclub.core.models import AccessibilityFeedback, LegalPage


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
