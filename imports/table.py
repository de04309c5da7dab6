"""A file's rows to records: {PerfHub field: cell text}, through a mapping.

The header row is the first row that holds every mapped header text. Below it, blank rows, rows
that repeat the header (a table printed over several pages), notes rows (one cell of text under a
table) and the rows the mapping skips are left out; a continuation row (its `continuation` field
blank) joins the row above, cell by cell, with a space. Every row of the file is accounted for:
`records` returns the rows left out counted by reason.

A mapped header that the header row lacks is an error naming it and the nearest headers the file
has (a mistyped header would otherwise import every row with that field blank), unless the
mapping lists its field as `optional`.
"""

import difflib
from collections import Counter
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
    # The row holding most of them is the header row the mapping meant: name what it lacks.
    best = max(rows[:30] or [[]], key=lambda row: len(wanted & {_norm(cell) for cell in row}))
    absent = [h for h in identifying if _norm(h) not in {_norm(cell) for cell in best}]
    raise LayoutError(
        f"No row of the file holds all the headers the mapping '{mapping.name}' expects: "
        + "; ".join(missing_header(h, best) for h in absent)
        + ". Correct the header in the file or in the mapping, or choose another mapping."
    )


def missing_header(text, header):
    """'Latest' is not among the file's headers, with the nearest ones it has."""
    present = [str(cell).strip() for cell in header if str(cell).strip()]
    by_norm = {_norm(cell): cell for cell in present}
    nearest = [by_norm[n] for n in difflib.get_close_matches(_norm(text), list(by_norm), n=3, cutoff=0.5)]
    hint = f" (nearest: {', '.join(repr(n) for n in nearest)})" if nearest else ""
    return f"'{text}' is not among the file's headers{hint}"


def missing_columns(header, mapping):
    """The errors for the mapped columns the header row lacks (fields the mapping lists as
    `optional` may be left out)."""
    have = {_norm(cell) for cell in header}
    return [
        f"the mapping reads {name} from {missing_header(text, header)}"
        for name, text in mapping.columns.items()
        if _norm(text) not in have and name not in mapping.optional
    ]


SKIP_REASONS = {
    "above": "above the header row (titles)", "header": "the header row", "blank": "blank",
    "repeated": "the header repeated", "continuation": "continues the row above",
    "note": "a note under the table",
}


def records(rows, mapping):
    """(records, {reason: rows left out}) for the table in `rows`; the counts and the records
    together account for every row of the file."""
    top = header_row(rows, mapping)
    problems = missing_columns(rows[top], mapping)
    if problems:
        raise LayoutError(
            "; ".join(problems) + ". Correct the header in the file or in the mapping "
            "(or mark the field optional in the mapping)."
        )
    header = [_norm(cell) for cell in rows[top]]
    positions = {
        name: header.index(_norm(text)) for name, text in mapping.columns.items() if _norm(text) in header
    }
    skipped = Counter({SKIP_REASONS["above"]: top, SKIP_REASONS["header"]: 1})
    out = []
    for index in range(top + 1, len(rows)):
        row = rows[index]
        texts = [str(cell).strip() for cell in row]
        filled = [t for t in texts if t]
        if not filled:
            skipped[SKIP_REASONS["blank"]] += 1
            continue
        if [_norm(c) for c in row[: len(header)]] == header[: len(row)]:
            skipped[SKIP_REASONS["repeated"]] += 1
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
        if mapping.continuation and out and not cells.get(mapping.continuation):
            previous = out[-1].cells
            for name, text in cells.items():
                if text:
                    previous[name] = f"{previous[name]} {text}".strip()
            skipped[SKIP_REASONS["continuation"]] += 1
            continue
        if len(filled) == 1 and len(positions) > 1:  # a note under the table
            skipped[SKIP_REASONS["note"]] += 1
            continue
        rule = next((r for r in mapping.skips if r.pattern.search(cells.get(r.field, ""))), None)
        if rule is not None:
            skipped[f"skipped: {rule.field} matches {rule.pattern.pattern}"] += 1
            continue
        out.append(Record(index + 1, cells, {n: rows[top][i].strip() for n, i in positions.items()}))
    for record in out:
        _apply_rules(record, mapping)
    return out, {reason: count for reason, count in skipped.items() if count}


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
