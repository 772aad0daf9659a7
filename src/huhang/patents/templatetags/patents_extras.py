"""Template filters of the patent-analytics pages."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A share (0.1234) as a percentage with one decimal (12.3 %); a dash when there is none."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f} %"
