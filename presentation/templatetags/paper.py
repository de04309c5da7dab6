"""Filters for the printed reports."""

from django import template

from presentation.svg import chart_svg

register = template.Library()


@register.filter
def svg(chart):
    """The chart drawn as SVG for paper (presentation.svg)."""
    return chart_svg(chart)
