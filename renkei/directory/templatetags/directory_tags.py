"""Template filters of the directory."""
from django import template

from renkei.directory.taxonomy import kind_colour as _kind_colour

register = template.Library()


@register.filter
def kind_colour(kind):
    """The map marker colour of a facility kind."""
    return _kind_colour(kind)
