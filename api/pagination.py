"""Cursor pagination: stable pages while figures are added, and no COUNT query.

Every page also names the next one in a `Link` header, so that a CSV reader can follow it.
"""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        """DRF's cursor, refused (404, as DRF refuses a cursor it cannot decode) when its
        position is not an id: a forged cursor is no server error."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not str(cursor.position).isdigit():
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        next_link = self.get_next_link()
        if next_link:
            response["Link"] = f'<{next_link}>; rel="next"'
        return response

    def get_paginated_response_schema(self, schema):
        # DRF writes "nullable", which OpenAPI 3.1 (our document) dropped for a "null" type.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
