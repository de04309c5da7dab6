"""Paging of every list: the page size a URL asks for (`per_page`) is kept within bounds."""

from django.core import paginator

MAX_PER_PAGE = 500


class Paginator(paginator.Paginator):
    """Django's Paginator with `per_page` between 1 and MAX_PER_PAGE: `per_page=-1` or
    `per_page=10**9` shows a page, never an error."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)
