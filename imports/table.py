"""A file's rows to records: {PerfHub field: cell text}, through a mapping.

The header row is the first row that holds every mapped header text. Below it, blank rows, rows
that repeat the header (a table printed over several pages), notes rows (one cell of text under a
table) and the rows the mapping skips are left out; a continuation row (its `continuation` field
blank) joins the row above, cell by cell, with a space.
"""

from dataclasses import dataclass, field


def _norm(text):
    return " ".join(str(text).split()).casefold()


class LayoutError(ValueError):
    """A file whose header row the mapping cannot find."""


@dataclass
class Record:
    number: int  # the row number in the file, counting from 1 as spreadsheets do
    cells: dict  # PerfHub field: text as it stands in the file (after the mapping's rewrites)
    headers: dict = field(default_factory=dict)  # PerfHub field: the file's header text

    def header(self, name):
        return self.headers.get(name, name.replace("_", " ").capitalize())


def header_row(rows, mapping):
    """The index of the header row: the first row holding the mapping's `headers` (all its
    columns when it lists none); the other mapped columns may be left out of a file."""
    identifying = mapping.headers or list(mapping.columns.values())
    wanted = {_norm(h) for h in identifying}
    for index, row in enumerate(rows):
        if wanted <= {_norm(cell) for cell in row}:
            return index
    missing = ", ".join(f"'{h}'" for h in identifying)
    raise LayoutError(
        f"No row of the file holds all the headers the mapping '{mapping.name}' expects ({missing}); "
        "is it the right mapping for this file?"
    )


def records(rows, mapping):
    """(records, number of rows left out) for the table in `rows`."""
    top = header_row(rows, mapping)
    header = [_norm(cell) for cell in rows[top]]
    positions = {
        name: header.index(_norm(text)) for name, text in mapping.columns.items() if _norm(text) in header
    }
    out, left_out = [], 0
    for index in range(top + 1, len(rows)):
        row = rows[index]
        texts = [str(cell).strip() for cell in row]
        filled = [t for t in texts if t]
        if not filled or [_norm(c) for c in row[: len(header)]] == header[: len(row)]:
            left_out += 1
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
        if mapping.continuation and out and not cells.get(mapping.continuation):
            previous = out[-1].cells
            for name, text in cells.items():
                if text:
                    previous[name] = f"{previous[name]} {text}".strip()
            continue
        if len(filled) == 1 and len(positions) > 1:  # a note under the table
            left_out += 1
            continue
        if any(rule.pattern.search(cells.get(rule.field, "")) for rule in mapping.skips):
            left_out += 1
            continue
        out.append(Record(index + 1, cells, {n: rows[top][i].strip() for n, i in positions.items()}))
    for record in out:
        _apply_rules(record, mapping)
    return out, left_out


def _apply_rules(record, mapping):
    cells = record.cells
    for name, value in mapping.fixed.items():
        cells.setdefault(name, value)
    for rule in mapping.rewrites:
        if name := rule.field:
            cells[name] = rule.pattern.sub(rule.value, cells.get(name, "")).strip()
    for rule in mapping.derives:
        if rule.pattern.search(cells.get(rule.when, "")):
            cells[rule.field] = rule.value
