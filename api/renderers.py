"""`?format=csv`: any list, report or object as a flat CSV table.

A list's page gives one row per item; a report gives one row per row of it. Nested objects
become columns named `outer.inner`; nested lists (a risk's reviews) a JSON text cell. Numbers
are written in full, blanks are empty cells, and text a spreadsheet would run as a formula is
neutralised as the exports do it.
"""

import csv
import io
import json
from decimal import Decimal

import simplejson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from measures.exports import neutralise


def cell(value):
    """A JSON value as a CSV cell: numbers in full (80.5000 as 80.5), true and false, blank for
    null, lists and objects as JSON text; text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (bool, int, float)):
        return json.dumps(value)
    text = json.dumps(value, cls=JSONEncoder, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    return neutralise(text)


def flatten(item, prefix=""):
    """A dict with nested dicts spread into `outer.inner` keys."""
    flat = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def rows_of(data):
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("results", "rows"):
            if isinstance(data.get(key), list):
                return data[key]
    return [data]


class ExactJSONRenderer(JSONRenderer):
    """DRF's JSON, with Decimals written as JSON numbers of their exact digits (simplejson's
    use_decimal) rather than through a float, which keeps only about 15 significant figures."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        text = simplejson.dumps(
            data, use_decimal=True, default=self.encoder_class().default, ensure_ascii=self.ensure_ascii,
            indent=indent, separators=None if indent else (",", ":"), allow_nan=not self.strict,
        )
        return text.encode()


class FlatCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = [flatten(row) if isinstance(row, dict) else {"value": row} for row in rows_of(data)]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(column)) for column in columns])
        return out.getvalue().encode(self.charset)
