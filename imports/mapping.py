"""Mapping files: how one layout of spreadsheet maps onto PerfHub's fields.

A mapping is a TOML file in imports/mappings/, one per layout; a new layout is a new file, never
new code. Its tables (all optional but `columns`):

- `name`, `kind` ("figures", the default, or "risks"), `headers`: header texts that identify the
  layout when no mapping is named.
- `[columns]`: PerfHub field = the header text of the file's column that holds it. Every mapped
  header must be in the file (a missing one is an error naming the nearest headers present)...
- `optional`: ...except the fields listed here, which a file may leave out.
- `[fixed]`: PerfHub field = the value every row gets (a report's single period, say).
- `[[rewrite]]`: `field`, `pattern`, `replace`: a regular-expression substitution on the cell
  before it is read ("2014/15 Q1 (Apr-Jun 2014)" to "Q1 2014/15").
- `[[derive]]`: `field`, `when`, `matches`, `value`: set `field` where the PerfHub field `when`
  matches ("frequency" is rolling_12 where the title says "rolling 12 months").
- `[measures.CODE]`: PerfHub field = value, for the one measure whose code (or title) is CODE
  (`[measures.HR11] polarity = "lower"`, `green_band = "5"`): a small table of per-measure
  values, read as `[[derive]]` rules on the code or title, after the file's own `[[derive]]` ones.
- `[words.rag]`, `[words.direction]`, `[words.unit]`, ...: how the file writes those fields (a
  unit the words translate keeps the file's word as the measure's unit label: "£ per pupil").
- `[cells]`: `missing` (markers meaning no figure: "n/a", "ND", "-"), `zero_is_missing` (fields
  where 0 stands for a missing figure), `no_text` (texts meaning no commentary: "No notes"),
  `money_scale` (read "£1.2m" as 1,200,000), `money_unit` ("m": the file counts in £m).
- `code_prefix`: for a risk register without codes, new risks are numbered after it.
- `previous_months`: how many months before the row's period its `previous` figure is, where
  that is not simply the period before (a quarterly report's previous figure for a rolling
  12 months measure is the twelve months to the previous quarter's end: 3).
- The field `arrears` (from a column, `[fixed]` or a `[[derive]]` rule): how many whole months
  the row's figure lags the period the file names ("one Quarter in arrears" is 3).
- `[month_labels]`: per frequency (`quarterly`, `termly`, `annual`, `rolling_12`, or `default`),
  whether a month label ("Jan 2024") names the period's `first` month, its `last` (the default)
  or any month `within` it; a label that does not fit the row's measure's frequency is a row
  error (measures.periods.reported_span).
- `unusual_figures`: "warn" (the default) lists a figure flagged as unusual (outside the
  measure's bounds, beyond its SPC limits, far from its history) as a warning on its row;
  "refuse" refuses the row unless its `flag_reason` says why the figure is right.
- `[rows]`: `skip` (rows to leave out, {field, matches}), `continuation` (a row whose `field` is
  blank continues the row above: a table broken over a page).
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from measures import periods

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
KINDS = ("figures", "risks")
UNUSUAL_FIGURES = ("warn", "refuse")
FIGURE_FIELDS = (
    "code", "title", "definition", "service", "committees", "outcome", "unit", "unit_label",
    "frequency", "year_basis", "polarity", "decimal_places", "rating_rule", "tolerance", "floor",
    "period", "value", "target", "rag", "dot", "previous", "last_year", "commentary", "actions",
    "provisional", "caveat", "no_data_reason", "arrears",
    # The rating rule's bands and the direction of travel's basis (docs/framework.md): `tolerance`
    # is the amber band; each band in "percent" (of the target) or "units"; `baseline` is the
    # fixed baseline's figure (a "2023/24 Performance" column), `baseline_period` its period.
    "green_band", "green_band_unit", "tolerance_unit", "dot_basis", "baseline", "baseline_period",
    "same_band", "same_band_unit",
    # Issue 21: a figure's numerator and denominator; a measure's labels for them, bounds and
    # how its months roll up.
    "numerator", "denominator", "numerator_label", "denominator_label", "minimum", "maximum",
    "aggregation",
    # The reason a figure flagged as unusual is right (measures.figure_checks).
    "flag_reason",
)
RISK_FIELDS = (
    "code", "title", "description", "cause", "event", "consequence", "owner", "likelihood",
    "impact", "level", "trend", "review_date", "mitigations", "outcomes", "indicators",
    "annual_exposure", "lifetime_exposure", "section", "directorate",
)

MONTH_LABEL_FREQUENCIES = ("default", "quarterly", "termly", "annual", "rolling_12")


class MappingError(ValueError):
    """A mapping file that does not describe a layout PerfHub can read."""


@dataclass
class Rule:
    field: str
    pattern: re.Pattern
    value: str = ""
    when: str = ""


@dataclass
class Mapping:
    name: str
    slug: str
    kind: str = "figures"
    headers: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    rewrites: list = field(default_factory=list)
    derives: list = field(default_factory=list)
    words: dict = field(default_factory=dict)
    missing: tuple = ("", "n/a", "na", "nd", "n/d", "-", "–", "no data")
    zero_is_missing: tuple = ()
    no_text: tuple = ()
    money_scale: bool = False
    money_unit: str = ""
    code_prefix: str = ""
    previous_months: int = 0
    skips: list = field(default_factory=list)
    continuation: str = ""
    optional: tuple = ()
    month_labels: dict = field(default_factory=dict)  # frequency (or "default"): first, last or within

    def month_is(self, frequency):
        """How a month label is read for a measure of `frequency`: its period's first, last or any month."""
        return self.month_labels.get(frequency) or self.month_labels.get("default") or periods.LAST
    unusual_figures: str = "warn"

    @property
    def fields(self):
        return RISK_FIELDS if self.kind == "risks" else FIGURE_FIELDS

    def gives(self, name):
        return name in self.columns or name in self.fixed or any(d.field == name for d in self.derives)


def load(name_or_path):
    """The mapping called `name_or_path` (a file name in imports/mappings/, without .toml) or at
    that path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MAPPINGS_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        raise MappingError(f"There is no mapping {name_or_path} (known: {', '.join(names())})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path.name} is not valid TOML: {error}") from None
    return parse(data, path.stem)


def names():
    return sorted(path.stem for path in MAPPINGS_DIR.glob("*.toml"))


def all_mappings():
    return [load(name) for name in names()]


def parse(data, slug):
    kind = data.get("kind", "figures")
    if kind not in KINDS:
        raise MappingError(f"{slug}: kind must be one of {', '.join(KINDS)}")
    cells = data.get("cells", {})
    rows = data.get("rows", {})
    mapping = Mapping(
        name=data.get("name", slug), slug=slug, kind=kind,
        headers=list(data.get("headers", [])),
        columns=dict(data.get("columns", {})),
        fixed={key: str(value) for key, value in data.get("fixed", {}).items()},
        words={key: dict(table) for key, table in data.get("words", {}).items()},
        missing=tuple(cells.get("missing", Mapping.missing)),
        zero_is_missing=tuple(cells.get("zero_is_missing", ())),
        no_text=tuple(cells.get("no_text", ())),
        money_scale=bool(cells.get("money_scale", False)),
        money_unit=cells.get("money_unit", ""),
        code_prefix=data.get("code_prefix", ""),
        previous_months=data.get("previous_months", 0),
        continuation=rows.get("continuation", ""),
        optional=tuple(data.get("optional", ())),
        month_labels={str(k): str(v) for k, v in data.get("month_labels", {}).items()},
        unusual_figures=data.get("unusual_figures", "warn"),
    )
    for frequency, rule in mapping.month_labels.items():
        if frequency not in MONTH_LABEL_FREQUENCIES:
            raise MappingError(f"{slug}: [month_labels] {frequency} is not one of {', '.join(MONTH_LABEL_FREQUENCIES)}")
        if rule not in periods.MONTH_LABEL_RULES:
            raise MappingError(f"{slug}: [month_labels] {frequency} must be one of {', '.join(periods.MONTH_LABEL_RULES)}")
    try:
        mapping.rewrites = [
            Rule(r["field"], re.compile(r["pattern"]), r.get("replace", "")) for r in data.get("rewrite", [])
        ]
        mapping.derives = [
            Rule(r["field"], re.compile(r["matches"]), str(r["value"]), r["when"])
            for r in data.get("derive", [])
        ]
        mapping.skips = [Rule(r["field"], re.compile(r["matches"])) for r in rows.get("skip", [])]
        for key, values in data.get("measures", {}).items():
            exactly = re.compile(f"^{re.escape(str(key).strip())}$")
            mapping.derives += [Rule(name, exactly, str(value), when)
                                for name, value in values.items() for when in ("code", "title")]
    except (KeyError, re.error, AttributeError) as error:
        raise MappingError(f"{slug}: a rewrite, derive or skip rule is incomplete ({error})") from None
    unknown = [
        name for name in [*mapping.columns, *mapping.fixed, *(r.field for r in mapping.derives),
                          *(r.when for r in mapping.derives), *(r.field for r in mapping.rewrites),
                          *mapping.optional]
        if name not in mapping.fields
    ]
    if unknown:
        raise MappingError(f"{slug}: PerfHub has no field {', '.join(unknown)}")
    if not (isinstance(mapping.previous_months, int) and 0 <= mapping.previous_months <= 36):
        raise MappingError(f"{slug}: previous_months must be a whole number of months from 0 to 36")
    if mapping.unusual_figures not in UNUSUAL_FIGURES:
        raise MappingError(f"{slug}: unusual_figures must be one of {', '.join(UNUSUAL_FIGURES)}")
    if not mapping.columns:
        raise MappingError(f"{slug}: give at least one column in [columns]")
    return mapping


def for_headers(rows, candidates=None):
    """The mapping (of `candidates`, else the shipped ones) whose `headers` all appear in one of
    the first rows of the file (of several, the one that finds most of its columns there), or None."""
    seen = [{_norm(cell) for cell in row} for row in rows[:30]]
    best, best_found = None, 0
    for mapping in all_mappings() if candidates is None else candidates:
        wanted = {_norm(h) for h in (mapping.headers or mapping.columns.values())}
        columns = {_norm(h) for h in mapping.columns.values()}
        for row in seen:
            if wanted <= row and len(columns & row) > best_found:
                best, best_found = mapping, len(columns & row)
    return best


def _norm(text):
    return " ".join(str(text).split()).casefold()
