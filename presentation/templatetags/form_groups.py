"""{{ field|form_group }}: a field as includes/field.html draws it, in one pass."""

from django import template

from presentation.form_groups import form_group_html

register = template.Library()


@register.filter
def form_group(field):
    return form_group_html(field)
