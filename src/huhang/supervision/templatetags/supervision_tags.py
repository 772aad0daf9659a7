"""Template helpers of the supervision pages."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def items_url(base: dict, **params) -> str:
    """The list of work items narrowed by ``base`` (the page's own filters) and ``params``."""
    query = {**base, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('supervision:list')}?{urlencode(query)}"


@register.filter
def title_in(obj, language: str = "") -> str:
    """The English title on English pages when there is one, else the Chinese title."""
    english = (language or get_language() or "").startswith("en")
    return (getattr(obj, "title_en", "") if english else "") or obj.title_zh
