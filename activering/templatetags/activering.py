"""Shared template tags: form widgets in Amsterdam Design System markup, counts with shares."""

from django import forms, template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "ams-checkbox__input"),
    (forms.Select, "ams-select"),
    (forms.Textarea, "ams-text-area"),
    (forms.DateInput, "ams-date-input"),
    (forms.TimeInput, "ams-time-input"),
    (forms.PasswordInput, "ams-password-input"),
    (forms.widgets.Input, "ams-text-input"),
]


def _widget_class(widget: forms.Widget) -> str:
    for widget_type, css_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class
    return ""


@register.simple_tag
def ams_widget(field: forms.BoundField) -> SafeString:
    """Render the field's widget with the design-system class and its hint/error linked."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": _widget_class(field.field.widget)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def count_and_share(count: int, share: float | None) -> SafeString:
    """ "12 (40%)": a count with its share, the share muted. A tag rather than an include:
    /dekking/ shows a hundred of them, and each include costs a template render."""
    if share is None:
        return format_html("{}", localize(count))
    return format_html(
        '{} <span class="app-coverage-muted">({}%)</span>', localize(count), floatformat(share, 0)
    )
