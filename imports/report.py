"""What an import did or would do, row by row, and the all-or-nothing transaction it runs in."""

from dataclasses import dataclass, field

from django.db import transaction

from imports.lock import one_import_at_a_time

CREATED, CHANGED, UNCHANGED, REFUSED = "created", "changed", "unchanged", "refused"


class Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused file."""


@dataclass
class RowResult:
    number: int
    measure: str = ""
    period: str = ""
    action: str = ""
    errors: list = field(default_factory=list)  # "row 14, Target: '12..5' is not a number"
    changes: list = field(default_factory=list)  # the fields a changed row changes
    warnings: list = field(default_factory=list)  # validation rules of importance "warning" broken


@dataclass
class RatingDifference:
    number: int
    measure: str
    period: str
    reported: str
    rules: str
    why: str


@dataclass
class Report:
    file_name: str
    mapping: str
    dry_run: bool
    rows: list = field(default_factory=list)
    left_out: int = 0  # blank rows, repeated headers, notes and rows the mapping skips
    skipped: dict = field(default_factory=dict)  # {reason: rows}: with `rows`, every row of the file
    differences: list = field(default_factory=list)
    written: bool = False

    @property
    def errors(self):
        return [error for row in self.rows for error in row.errors]

    @property
    def warnings(self):
        return [warning for row in self.rows for warning in row.warnings]

    def count(self, action):
        return sum(row.action == action for row in self.rows)

    @property
    def file_rows(self):
        """Every row of the file: those imported or refused, and those left out."""
        return len(self.rows) + sum(self.skipped.values())

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATED, CHANGED, UNCHANGED, REFUSED)}


def write_all_or_nothing(report, write):
    """Run `write()` in one transaction, kept only when no row was refused and this is no dry
    run: a dry run does the same work as the real one and rolls it back."""
    try:
        with transaction.atomic():
            one_import_at_a_time()
            write()
            if report.errors or report.dry_run:
                raise Rollback
            report.written = True
    except Rollback:
        pass
    return report


def cell_error(row, record, name, reason):
    """Record on `row` the reason the cell of field `name` in `record` is refused."""
    row.errors.append(f"row {record.number}, {record.header(name)}: {reason}")
