"""A form field drawn as a design-system form group, in Python, with the markup of
templates/includes/field.html and of Django's select and input widget templates.

A list's filter form has a dozen fields and some sixty options; through templates each field,
widget, option and attribute list is a template include with its own context (about half of the
dashboard's Python time). These draw the same bytes in one pass; tests/presentation/
test_form_groups.py holds them to the templates' output.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe


def _text(value):
    """As the template engine prints {{ value }}: localized, then escaped."""
    return conditional_escape(localize(value))


def _formatted(value):
    """As {{ value|stringformat:'s' }} prints: as a string, escaped unless it was safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def attrs_html(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items() if value is not False
    )


def select_html(widget):
    """django/forms/widgets/select.html with its options (select_option.html)."""
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(f'\n  <option value="{_formatted(option["value"])}"{attrs_html(option["attrs"])}>'
                         f'{_text(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def input_html(widget):
    """django/forms/widgets/input.html."""
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer, drawing selects and text-like inputs in Python (the rest, and
    any option drawn with a template of its own, through the templates)."""

    drawn = {
        "django/forms/widgets/select.html": select_html,
        "django/forms/widgets/text.html": input_html,
        "django/forms/widgets/search.html": input_html,
        "django/forms/widgets/number.html": input_html,
    }

    def render(self, template_name, context, request=None):
        draw = self.drawn.get(template_name)
        widget = context.get("widget", {})
        options = [option for _, group, _ in widget.get("optgroups", ()) for option in group]
        if draw is None or any(o["template_name"] != "django/forms/widgets/select_option.html" for o in options):
            return super().render(template_name, context, request)
        return draw(widget)


def form_group_html(field):
    """templates/includes/field.html for one bound field: label, hint, error message, widget."""
    errors = field.errors
    hint = (f'<div id="{_text(field.auto_id)}-hint" class="govuk-hint">{_text(field.help_text)}</div>'
            if field.help_text else "")
    error = (f'<p id="{_text(field.auto_id)}-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
             f'Error:</span> {" ".join(conditional_escape(message) for message in errors)}</p>' if errors else "")
    return mark_safe(
        f'\n<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n'
        f'  <label class="govuk-label" for="{_text(field.id_for_label)}">{_text(field.label)}</label>\n'
        f"  {hint}\n  {error}\n  {_text(field)}\n</div>\n"
    )
