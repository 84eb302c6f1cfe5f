from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

from innoclub.core.markdown import rendered

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    # Rendered once per text, then read from the cache.
    return rendered(text or "")


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_select(field: forms.BoundField) -> bool:
    """A single-choice drop-down, which KERN draws inside a wrapper."""
    widget = field.field.widget
    return isinstance(widget, forms.Select) and not widget.allow_multiple_selected


@register.simple_tag
def kern_widget(field: forms.BoundField) -> SafeString:
    """Render a form field's widget with KERN classes and its hint and errors linked."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "kern-form-check__checkbox"
    elif isinstance(widget, forms.Select):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hinweis")
    if field.errors:
        described.append(f"{field.auto_id}_fehler")
        css += " " + css + "--error"
    attrs: dict[str, str | bool] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = str(value)
    return str(query.urlencode())
