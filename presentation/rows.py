"""Plain row rendering shared by every app's long tables: a django-tables2 Table's page of rows
written in Python in tables/govuk_table.html's markup, without the template's per-cell work."""

from django.utils.safestring import mark_safe

from presentation.charts import escaped
from presentation.exports import table_cells


def _attributes(attrs):
    """The attributes other than class, as tables/govuk_table.html writes them."""
    return "".join(
        f' {name}="{escaped(value)}"' for name, value in attrs.items()
        if name != "class" and value is not None and not name.startswith("_")
    )


def _opening(tag, css, attrs, extra=""):
    own = attrs.get("class")
    return f'<{tag} class="{css}{" " + escaped(own) if own else ""}"{extra}{_attributes(attrs)}>'


QUICK_BODY_TEMPLATE = "tables/quick_body_table.html"


class QuickBody:
    """A Table whose rows (its page's) are written in Python in tables/govuk_table.html's
    markup (QUICK_BODY_TEMPLATE, its Meta's template_name): the template's per-cell tags and
    attribute loops cost most of a 25- or 50-row page. Sorting, paging and the header stay
    django-tables2's."""

    def body_html(self):
        columns = list(self.columns)
        cells = [
            _opening("td", "govuk-table__cell", column.attrs["td"], f' data-label="{escaped(column.header)}"')
            for column in columns
        ]
        rows = list(self.paginated_rows)
        html = []
        for row, values in zip(rows, table_cells(self, rows)):
            html.append(_opening("tr", "govuk-table__row", row.attrs))
            html.extend(f"{td}{escaped(value)}</td>" for td, (column, value) in zip(cells, values))
            html.append("</tr>")
        return mark_safe("".join(html))
