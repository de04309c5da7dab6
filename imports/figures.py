"""Import measures, targets and values from a table of records (see imports.table).

`import_figures` is a service: it reads every record first, and refuses the whole file when any
row is wrong (each refused row listed with its row number, column and reason); otherwise it
writes everything inside one transaction. A dry run does the same work and rolls it back, so its
preview is exactly what the real run would do. Unchanged rows are not saved, so a second import
of the same file writes no row and no history row; a changed figure is saved once, as a revision
whose history records the import's reason and file name.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.utils import timezone
from django.utils.text import slugify

from imports.cells import CellError, read_flag, read_number, read_word
from imports.history import bulk_create_with_history, bulk_update_with_history
from imports.report import (
    CHANGED, CREATED, REFUSED, UNCHANGED, RatingDifference, Report, RowResult, cell_error,
    write_all_or_nothing,
)
from measures import numbers as figures, periods, services
from measures.numbers import MAX_DECIMAL_PLACES, NumberError, check_storable
from measures.models import Committee, Measure, Outcome, Period, Service, Target, Value, copy_period_dates
from measures.rating import (
    AS_REPORTED_IN, Polarity, direction_words, parse_direction, parse_rag, polarity_from_floor, rule_problems,
)
from measures.figure_checks import check_figures, unconfirmed
from measures.rollups import Aggregation
from measures.targets import in_force

VALUE_FIELDS = (
    "value", "commentary", "actions", "provisional", "caveat", "no_data_reason", "numerator", "denominator",
    "flag_reason",
)
# The file's field: (the measure's field it sets, its choices).
MEASURE_CHOICES = {
    "unit": ("unit", Measure.Unit), "frequency": ("frequency", Measure.Frequency),
    "polarity": ("polarity", Polarity), "rating_rule": ("rating_rule", Measure.RatingRule),
    "green_band_unit": ("green_band_unit", Measure.BandUnit),
    "tolerance_unit": ("amber_band_unit", Measure.BandUnit), "dot_basis": ("dot_basis", Measure.Basis),
    "same_band_unit": ("same_band_unit", Measure.BandUnit), "aggregation": ("aggregation", Aggregation),
}
YEAR_BASES = (periods.FINANCIAL_YEAR, periods.ACADEMIC_YEAR, periods.CALENDAR_YEAR)
PROGRESS_EVERY = 500
MAX_ARREARS = 24


@dataclass
class Parsed:
    """One record read into Python values; `measure` holds the measure's fields the file gives."""

    number: int
    key: tuple
    measure: dict
    period_text: str
    numbers: dict
    texts: dict
    rag: str | None = None
    dot: str | None = None
    places: int = 0  # decimal places of the value as written, for a measure the file creates
    arrears: int = 0  # months the figure lags the period the file names
    period_header: str = "Period"
    # {figure field: (the cell as written, its header)}: each figure is checked, and those the
    # reader could not read ("Yes", "2.5:1", "12 days") read, by the measure's unit at write time
    figure_cells: dict = field(default_factory=dict)
    missing_figure: str = ""  # why a row with a target but no figure is refused, unless its period is to come


def import_figures(records, mapping, *, file_name, status=Value.Status.DRAFT, reason="",
                   dry_run=False, keep_reported=False, user=None, progress=None, left_out=0):
    """Import `records` (imports.table.Record) read through `mapping`; returns a Report."""
    report = Report(file_name=file_name, mapping=mapping.name, dry_run=dry_run, left_out=left_out)
    parsed = []
    for record in records:
        row = RowResult(record.number, measure=record.cells.get("title") or record.cells.get("code", ""),
                        period=record.cells.get("period", ""))
        report.rows.append(row)
        try:
            parsed.append(_parse(record, mapping, row))
        except CellError:
            row.action = REFUSED
    return write_all_or_nothing(report, lambda: _write(
        parsed, report, mapping, status=status, reason=reason, user=user,
        keep_reported=keep_reported, progress=progress,
    ))


def _parse(record, mapping, row):
    """The record as Python values; every bad cell is added to row.errors, then CellError raised."""
    cells = record.cells

    def fail(name, reason):
        cell_error(row, record, name, reason)

    def number(name, **options):
        try:
            figure = read_number(cells.get(name, ""), mapping.missing,
                                 zero_is_missing=name in mapping.zero_is_missing,
                                 scale_money=mapping.money_scale, **options)
            if figure is not None:
                check_storable(figure, cells.get(name, "").strip())
            return figure
        except (CellError, NumberError) as error:
            money = ", £1.2m" if mapping.money_scale else ""
            fail(name, f"{error}: write a number such as 1,234.5, 45.6%{money} or -3, or for no figure "
                       f"{_markers(mapping)}")

    def text_fits(name, model):
        # The same bounds as every other door: a row error here, not a database error later.
        limit = model._meta.get_field(name).max_length
        if len(cells.get(name, "").strip()) > limit:
            fail(name, f"{len(cells[name].strip()):,} characters: at most {limit:,} are kept")

    def word(name, choices, what):
        text = cells.get(name, "")
        table = mapping.words.get(name, {})
        try:
            value = read_word(text, table, what) if _norm(text) in _keys(table) else text
            return _choice(choices, value, what) if choices else value
        except CellError as error:
            fail(name, str(error))

    measure = {}
    for name in ("title", "code", "definition", "service", "outcome", "unit_label",
                 "numerator_label", "denominator_label"):
        if name in cells:
            measure[name] = cells[name]
    if cells.get("year_basis"):
        basis = word("year_basis", None, "year basis")
        if basis not in YEAR_BASES:
            fail("year_basis", f"'{cells['year_basis']}' is not a financial, academic or calendar year")
        measure["year_basis"] = basis
    for name, (field, choices) in MEASURE_CHOICES.items():
        if cells.get(name, "").strip():  # a blank cell gives nothing: the measure keeps its own
            measure[field] = word(name, choices, name.replace("_", " "))
    shown_unit = " ".join(cells.get("unit", "").split())
    if measure.get("unit") and not cells.get("unit_label", "").strip() and shown_unit and _norm(shown_unit) not in {
        _norm(measure["unit"]), _norm(Measure.Unit(measure["unit"]).label)
    }:
        # The file's own words for a unit ("£ per pupil" read as £) are the measure's unit label.
        measure["unit_label"] = cells["unit_label"] = shown_unit
    for name in ("title", "code", "definition", "unit_label", "numerator_label", "denominator_label"):
        text_fits(name, Measure)
    for name in ("minimum", "maximum"):
        if cells.get(name, "").strip():
            measure[name] = number(name)
    for name in ("commentary", "actions", "caveat", "no_data_reason", "flag_reason"):
        text_fits(name, Value)
    if "decimal_places" in cells:
        places = number("decimal_places")
        if places is not None and not (places == int(places) and 0 <= places <= MAX_DECIMAL_PLACES):
            fail("decimal_places", f"'{cells['decimal_places']}' is not a whole number from 0 to {MAX_DECIMAL_PLACES}")
            places = None
        measure["decimal_places"] = int(places) if places is not None else None
    for name, field in (("tolerance", "rag_tolerance"), ("green_band", "green_band"),
                        ("same_band", "same_band"), ("baseline", "dot_baseline")):
        if cells.get(name, "").strip():
            measure[field] = number(name)
            if measure[field] is not None and measure[field] < 0 and name != "baseline":
                fail(name, f"'{cells[name]}' is negative: a band is a distance from the target, 0 or more")
    if cells.get("baseline_period", "").strip():
        try:
            measure["dot_baseline_period"] = periods.parse_period(
                cells["baseline_period"], measure.get("year_basis") or periods.FINANCIAL_YEAR)
        except periods.PeriodError as error:
            fail("baseline_period", str(error))
    if "committees" in cells:
        measure["committees"] = [c.strip() for c in cells["committees"].split(";") if c.strip()]
    figure_cells = {}

    def figure(name):
        text = cells.get(name, "")
        try:
            found = read_number(text, mapping.missing, zero_is_missing=name in mapping.zero_is_missing,
                                scale_money=mapping.money_scale)
        except CellError:
            found = None  # perhaps a figure of the measure's unit: read with it at write time
            figure_cells[name] = (text.strip(), record.header(name))
        else:
            if found is not None:
                figure_cells[name] = (text.strip(), record.header(name))
        return found

    numbers = {name: figure(name) for name in (
        "value", "target", "floor", "previous", "last_year", "numerator", "denominator")}
    arrears = (number("arrears") if cells.get("arrears", "").strip() else 0) or 0
    if not (arrears == int(arrears) and 0 <= arrears <= MAX_ARREARS):
        fail("arrears", f"'{cells['arrears']}' is not a whole number of months from 0 to {MAX_ARREARS}")
    texts = {
        name: ("" if cells.get(name, "").strip() in mapping.no_text else cells.get(name, "").strip())
        for name in ("commentary", "actions", "caveat", "no_data_reason")
    }
    if "flag_reason" in cells:  # only where the file has the column: else the value keeps its own
        texts["flag_reason"] = cells["flag_reason"].strip()
    provisional = False
    if cells.get("provisional"):
        try:
            provisional = read_flag(cells["provisional"])
        except CellError as error:
            fail("provisional", str(error))
    texts["provisional"] = provisional
    rag = dot = None
    if cells.get("rag", "").strip():
        rag = _rating(cells["rag"], mapping.words.get("rag", {}), parse_rag, "RAG", lambda r: fail("rag", r))
    if cells.get("dot", "").strip():
        dot = _rating(cells["dot"], mapping.words.get("direction", {}), parse_direction,
                      "direction of travel", lambda r: fail("dot", r))
        texts["direction_words"] = _own_words(cells["dot"])
    if not (measure.get("title") or measure.get("code")):
        fail("title", "the measure has no title or code")
    if not cells.get("period", "").strip():
        fail("period", "the period is blank")
    missing_figure = ""
    given = any(numbers[name] is not None for name in ("value", "numerator", "denominator"))  # parts give a figure
    if "value" in cells and not given and not texts["no_data_reason"] and not row.errors:
        # No silent gaps: a row with no figure says why, in a no-data marker or a reason (or is a
        # target for a period to come, which has no figure yet: see _write).
        shown = cells["value"].strip()
        if shown:
            texts["no_data_reason"] = f"'{shown}' in the file"
        else:
            missing_figure = (
                "there is no figure and no reason for it: give the figure, a marker this layout "
                f"reads as no data ({_markers(mapping)}), or a reason in the "
                f"{record.headers.get('no_data_reason') or 'no data reason'} column")
            if numbers["target"] is None:
                fail("value", missing_figure)
            missing_figure = f"row {record.number}, {record.header('value')}: {missing_figure}"
    implied = polarity_from_floor(numbers["target"], numbers["floor"])
    if implied and "polarity" not in measure:
        measure["polarity"] = implied  # a file with no polarity gives it by the target and floor
    elif implied and measure.get("polarity") not in (None, implied):
        fail("floor", f"a floor of {cells['floor']} is on the wrong side of the target "
                      f"({cells['target']}) for a measure where {Polarity(measure['polarity']).label.lower()}")
    if row.errors:
        raise CellError(row.errors[0])
    key = ("code", measure["code"]) if measure.get("code") else ("title", measure["title"])
    return Parsed(record.number, key, measure, cells["period"].strip(), numbers, texts, rag, dot,
                  places=_places(cells.get("value", "")), arrears=int(arrears),
                  period_header=record.header("period"), figure_cells=figure_cells,
                  missing_figure=missing_figure)


def _own_words(text):
    """The council's own words for a direction of travel, kept for display where they say more
    than the direction's name ("Marginal change" is Same); "" where the file writes a code or a
    colour that the layout's words translate."""
    try:
        return direction_words(text)
    except ValueError:
        return ""


def _markers(mapping):
    """The no-data markers a layout reads, as an error message lists them."""
    shown = [f"'{m}'" if m else "a blank cell" for m in mapping.missing]
    return ", ".join(shown) or "none"


def _rating(text, words, parse, what, fail):
    table = {_norm(k): v for k, v in words.items()}
    shown = table.get(_norm(text), text)
    try:
        return parse(shown)
    except ValueError as error:
        if not words:
            fail(str(error))
        else:
            known = ", ".join(f"'{k}'" for k in words)
            fail(f"'{text.strip()}' is not a {what} this layout knows: write one of {known}, or add the "
                 f"word to the mapping's words for {what}")


def _choice(choices, text, what):
    try:
        return _choice_names(choices)[_norm(text)]
    except KeyError:
        known = ", ".join(str(v) for v in choices.values)
        raise CellError(f"'{text}' is not a {what} PerfHub knows ({known})") from None


@cache
def _choice_names(choices):
    """{value or label, normalised: value} of a choices class (worked out once, not per row)."""
    names = {_norm(label): value for value, label in choices.choices}
    names.update({_norm(value): value for value in choices.values})
    return names


def _norm(text):
    return " ".join(str(text).split()).casefold()


def _keys(table):
    return {_norm(k) for k in table}


def _places(text):
    digits = text.strip().rstrip("%*").rstrip()
    return len(digits.split(".", 1)[1]) if "." in digits and digits.split(".", 1)[1].isdigit() else 0


# Writing


def _write(parsed, report, mapping, *, status, reason, user, keep_reported, progress):
    rows = {row.number: row for row in report.rows}
    measures = _measures(parsed, report)
    spans = {}
    today = date.today()
    for item in parsed:
        measure, row = measures[item.key], rows[item.number]
        _read_figures(item, measure, row)
        try:
            span = _span(item.period_text, measure, mapping, item.arrears)
            if item.numbers["value"] is not None:
                periods.check_open_for_entry(span, today)  # as My measures: no figure for a period to come
            elif item.missing_figure and _is_open(span, today):  # a period to come has targets only
                row.errors.append(item.missing_figure)
        except periods.PeriodError as error:
            row.errors.append(f"row {item.number}, {item.period_header}: {error}")
        if row.errors:
            row.action = REFUSED
        else:
            spans[item.number] = span
    _refuse_duplicates(parsed, measures, spans, rows)
    # The other rows are still worked out, so that a preview shows what they would do.
    parsed = [item for item in parsed if item.number in spans]
    previous = _previous(mapping)
    period_by_span = _periods(
        {s for s in spans.values()}
        | {previous(s) for s in spans.values() if s.kind != periods.SNAPSHOT}
        | {periods.year_earlier(s) for s in spans.values()}
    )
    period_ids = {span: period.pk for span, period in period_by_span.items()}
    measure_ids = [m.pk for m in measures.values()]
    values = {(v.measure_id, v.period_id): v for v in Value.objects.filter(measure_id__in=measure_ids)}
    targets = {(t.measure_id, t.period_id): t for t in Target.objects.filter(measure_id__in=measure_ids)}
    new_values, new_targets, revised_values, revised_targets, touched = {}, {}, [], [], set()
    change_reason = f"Imported from {report.file_name}" + (f": {reason}" if reason else "")
    checked = dict(zip(
        (item.number for item in parsed),
        check_figures((measures[item.key], spans[item.number], _figure(measures[item.key], item.numbers))
                      for item in parsed),
    ))
    for done, item in enumerate(parsed, 1):
        measure, span, row = measures[item.key], spans[item.number], rows[item.number]
        row.measure, row.period = measure.title, span.label
        period_id = period_ids[span]
        fields = {name: item.texts[name] for name in VALUE_FIELDS if name in item.texts}
        fields["value"] = item.numbers["value"]
        if measure.has_parts and (item.numbers["numerator"] is not None or item.numbers["denominator"] is not None):
            # The one rule of every door: the figure is derived from its two parts.
            parts = {name: item.numbers[name] for name in ("numerator", "denominator")}
            fields.update(parts)
            fields["value"], why = services.entry_figure(measure, parts)
            if why and not fields["no_data_reason"]:
                row.errors.append(f"row {item.number}, Denominator: {why}")
                row.action = REFUSED
                continue
        if "direction_words" in item.texts:  # only where the file has a direction of travel
            fields["direction_words"] = item.texts["direction_words"]
        if item.rag is not None:
            fields["reported_rag"] = item.rag  # the council's own RAG, kept apart from the rules'
            if measure.rating_rule == Measure.RatingRule.REPORTED:
                fields["rag"] = item.rag  # "reported only": the file's RAG is the rating
        row.action = _upsert_value(measure, period_id, fields, values, new_values, revised_values, status,
                                   user, row, reason, checked[item.number].flags)
        if item.numbers["target"] is not None:
            wanted = {"value": item.numbers["target"], "floor": item.numbers["floor"]}
            target = targets.get((measure.pk, period_id))
            if target is None:
                new_targets[(measure.pk, period_id)] = Target(measure_id=measure.pk, period_id=period_id, **wanted)
                if row.action == UNCHANGED:  # a new target for a figure already held changes its rating
                    row.changes.append("target")
                    row.action = CHANGED
            elif (target.value, target.floor) != (wanted["value"], wanted["floor"]):
                target.value, target.floor = wanted["value"], wanted["floor"]
                revised_targets.append(target)
                row.changes.append("target")
                row.action = CHANGED if row.action == UNCHANGED else row.action
        for name, earlier in (("previous", previous), ("last_year", periods.year_earlier)):
            if item.numbers[name] is None or span.kind == periods.SNAPSHOT:
                continue
            # Figures for earlier periods as the file reports them fill gaps only: the row for
            # that period, where there is one, is the authority on it.
            key = (measure.pk, period_ids[earlier(span)])
            if key not in values and key not in new_values:
                new_values[key] = Value(measure_id=measure.pk, period_id=key[1], value=item.numbers[name],
                                        status=status, entered_by_id=_pk(user))
        if row.action != UNCHANGED:
            touched.add(measure.pk)
        if progress and (done % PROGRESS_EVERY == 0 or done == len(parsed)):
            progress(done, len(parsed))
    _report_checks(parsed, checked, rows, mapping)
    _rate_new_measures(measures, new_values, new_targets, period_by_span, touched)
    copy_period_dates(new_values.values())
    bulk_create_with_history(list(new_values.values()), Value, reason=change_reason, user=user)
    bulk_create_with_history(list(new_targets.values()), Target, reason=change_reason, user=user)
    if _changed_meanwhile(revised_values, report):
        return
    _revise(revised_values, revised_targets, change_reason, user)
    touched |= {m.pk for m in measures.values() if getattr(m, "_imported_change", False)}
    _rate(parsed, measures, spans, period_ids, touched, report, keep_reported)


def _refuse_duplicates(parsed, measures, spans, rows):
    """Two rows for one measure and period: both are refused, each naming the other, since
    either could be the figure meant (the later one would silently win)."""
    first = {}
    for item in parsed:
        if item.number not in spans:
            continue
        key = (item.key, spans[item.number])
        if key not in first:
            first[key] = item.number
            continue
        span, measure = spans[item.number], measures[item.key]
        message = (f"rows {first[key]} and {item.number} both give {measure.title} for {span.label}: "
                   "keep one row per measure and period (check the period and the code or title)")
        for number in (first[key], item.number):
            row = rows[number]
            if message not in row.errors:
                row.errors.append(f"row {number}: {message}")
            row.action = REFUSED
    for item in parsed:
        if rows[item.number].action == REFUSED:
            spans.pop(item.number, None)


def _figure(measure, numbers):
    """The figure a row enters: for a measure entered as two figures, the one derived from them."""
    if measure.has_parts and (numbers["numerator"] is not None or numbers["denominator"] is not None):
        return services.entry_figure(measure, numbers)[0]
    return numbers["value"]


def _report_checks(parsed, checked, rows, mapping):
    """The checks every door applies (measures.figure_checks), on the file's figures with those
    already held: a broken validation rule of importance "error" refuses its row; a rule of
    importance "warning" and an outlier flag are listed on the row as warnings, with the file's
    reason where it gives one, or refuse the row when the mapping says `unusual_figures =
    "refuse"` and the row gives no reason. The flags are kept on the value, so that the BI team
    sees them in approvals."""
    for item in parsed:
        row, result = rows[item.number], checked[item.number]
        for error in result.errors:
            row.errors.append(f"row {item.number}, {item.period_header}: {error}")
            row.action = REFUSED
        reason = item.texts.get("flag_reason", "")
        ask = unconfirmed(result, reason)
        if ask and mapping.unusual_figures == "refuse":
            row.errors.append(f"row {item.number}, {item.period_header}: {ask}")
            row.action = REFUSED
            continue
        confirmed = f" (confirmed: {reason})" if reason else ""
        row.warnings.extend(f"row {item.number}: {flag}{confirmed}" for flag in result.flags)


def _upsert_value(measure, period_id, fields, values, new_values, revised, status, user, row, reason, flags):
    key = (measure.pk, period_id)
    value = values.get(key) or new_values.get(key)
    if value is None:
        new_values[key] = Value(measure_id=measure.pk, period_id=period_id, status=status, entered_by_id=_pk(user),
                                flags=flags, **fields)
        return CREATED
    if value.pk is None:  # a gap filled by an earlier row's "previous" figure: this row rules
        for name, new in {**fields, "flags": flags}.items():
            setattr(value, name, new)
        return CREATED
    changed = [name for name, new in fields.items() if getattr(value, name) != new]
    if not changed:
        return UNCHANGED
    if value.status == Value.Status.PUBLISHED and not reason:
        row.errors.append(
            f"row {row.number}, {', '.join(changed)}: the published figure for {measure.title} "
            f"{row.period} would change; give a reason for the revision"
        )
        return REFUSED
    for name in changed:
        setattr(value, name, fields[name])
    value._import_row = row  # to refuse the row if someone saves the value while the import runs
    value.flags = flags  # as the figure now entered is flagged; an unchanged row keeps its own
    value.version += 1
    value.entered_by = user or value.entered_by
    revised.append(value)
    row.changes = changed
    return CHANGED


def _changed_meanwhile(values, report):
    """Refuse the rows whose figure someone saved after the import read it (its version moved
    on): an import never overwrites a save made while it ran. The figures it revises are locked
    from here until it commits."""
    read = {value.pk: value.version - 1 for value in values}
    current = dict(Value.objects.select_for_update().filter(pk__in=read).values_list("pk", "version"))
    stale = [value for value in values if current.get(value.pk) != read[value.pk]]
    for value in stale:
        row = value._import_row
        row.errors.append(
            f"row {row.number}: the figure for {row.measure} {row.period} was changed by someone else "
            "while the import ran; import the file again to revise it"
        )
        row.action = REFUSED
    return bool(stale)


def _revise(values, targets, reason, user):
    """Save the figures and targets a re-import changes, in batches, each with its history row
    (type "~", the import's reason and user): revisions, as saving them one by one would record."""
    fields = [*VALUE_FIELDS, "flags", "direction_words", "rag", "reported_rag", "version", "entered_by",
              "entered_at", "updated_at"]
    bulk_update_with_history(values, Value, fields, reason=reason, user=user)
    bulk_update_with_history(targets, Target, ["value", "floor"], reason=reason, user=user)


def _pk(user):
    return user.pk if user else None


def _is_open(span, today):
    try:
        periods.check_open_for_entry(span, today)
    except periods.PeriodError:
        return False
    return True


def _read_figures(item, measure, row):
    """Read and check the row's figures by the measure's unit, with the rule every door applies
    (measures.numbers): "-16%" is refused for a percentage here as in My measures, and "Yes",
    "£45.6k" or "12 days" read here as there. Errors go on the row."""
    for name, (text, header) in item.figure_cells.items():
        try:
            if item.numbers[name] is None:
                item.numbers[name] = figures.parse_number(text.rstrip("*").strip(), measure.unit)
            else:
                figures.check_figure(item.numbers[name], measure.unit, text)
        except NumberError as error:
            row.errors.append(f"row {item.number}, {header}: {error}")


def _span(text, measure, mapping, arrears=0):
    """The period of the figure the row gives: the period its text names, read for the measure's
    frequency by the mapping's rule for month labels ("Sep-20" is Q2 20-21 by default),
    `arrears` months earlier."""
    labelled = periods.parse_period(text, measure.year_basis)
    span = periods.reported_span(labelled, measure.frequency, mapping.month_is(measure.frequency),
                                 measure.year_basis)
    span = periods.months_before(span, arrears) if arrears else span
    periods.check_fits(measure.frequency, span)
    return span


def _previous(mapping):
    """The period a row's `previous` figure is for, given the row's period."""
    if mapping.previous_months:
        return lambda span: periods.months_before(span, mapping.previous_months)
    return periods.previous


def _rate_new_measures(measures, new_values, new_targets, period_by_span, touched):
    """Rate the values of the measures this import creates before they are inserted (every value
    and target they have is in the file), so that 50,000 new values are not updated again."""
    periods_by_id = {period.pk: period for period in period_by_span.values()}
    created = {m.pk: m for m in measures.values() if getattr(m, "_created", False)}
    values, targets = defaultdict(list), defaultdict(list)
    for items, grouped in ((new_values, values), (new_targets, targets)):
        for (measure_id, period_id), item in items.items():
            if measure_id in created:
                item.period = periods_by_id[period_id]
                grouped[measure_id].append(item)
    for measure_id, measure in created.items():
        series = sorted(values[measure_id], key=lambda value: value.period.start)
        try:
            ratings = list(services.ratings_in_force(measure, series, targets[measure_id]))
        except ValueError:
            continue  # rated again after the insert, where the reason is reported on its rows
        for value, (rag, dot) in ratings:
            value.rag, value.direction_of_travel = rag, dot
        touched.discard(measure_id)


def _periods(spans):
    """{span: Period}, creating the periods that do not exist yet."""
    by_kind = defaultdict(set)
    for span in spans:
        by_kind[span.kind].add(span.start)
    found = {}
    for kind, starts in by_kind.items():
        for period in Period.objects.filter(kind=kind, start__in=starts):
            found[(kind, period.start)] = period
    missing = [Period(kind=s.kind, start=s.start, end=s.end) for s in spans if (s.kind, s.start) not in found]
    for period in Period.objects.bulk_create(missing):
        found[(period.kind, period.start)] = period
    if any(period.pk is None for period in missing):  # backends that return no ids (none today)
        return _periods(spans)
    return {span: found[(span.kind, span.start)] for span in spans}


def _measures(parsed, report):
    """{key: Measure} for every measure the file names, created or updated from the file."""
    given = {}
    for item in parsed:
        fields = given.setdefault(item.key, {"places": 0, "label_frequency": None})
        fields["label_frequency"] = fields["label_frequency"] or _label_frequency(item, _year_basis(item))
        fields.update({k: v for k, v in item.measure.items() if v not in (None, "")})
        fields["places"] = max(fields["places"], item.places)
    codes = [k[1] for k in given if k[0] == "code"]
    titles = [k[1] for k in given if k[0] == "title"]
    known = Measure.objects.select_related("service", "outcome").prefetch_related("committees")
    existing = {("code", m.code): m for m in known.filter(code__in=codes)} if codes else {}
    existing.update({("title", m.title): m for m in known.filter(title__in=titles)})
    services_by_name = {s.name: s for s in Service.objects.all()}
    outcomes = {o.name: o for o in Outcome.objects.all()}
    committees = {c.name: c for c in Committee.objects.all()}
    measures, new = {}, []
    for key, fields in given.items():
        places = fields.pop("places")
        label_frequency = fields.pop("label_frequency")
        committee_names = fields.pop("committees", None)
        attrs = {}
        for name, value in fields.items():
            if name == "service":
                value = services_by_name.get(value) or _create_named(Service, value, services_by_name)
            elif name == "outcome":
                value = outcomes.get(value) or _create_outcome(value, outcomes)
            elif name == "dot_baseline_period":
                value = Period.for_span(value)
            attrs[name] = value
        measure = existing.get(key)
        if measure is None:
            attrs.setdefault("decimal_places", places)
            if label_frequency:  # a new measure the file gives no frequency: its labels' own
                attrs.setdefault("frequency", label_frequency)
            attrs.setdefault("title", attrs.get("code", ""))
            measure = Measure(**attrs)
            measure._created = True
            new.append(measure)
        else:
            changed = [n for n, v in attrs.items() if getattr(measure, n) != v]
            for name in changed:
                setattr(measure, name, attrs[name])
            if changed:
                measure._change_reason = f"Imported from {report.file_name}"
                measure.save()
                measure._imported_change = True
        measure._committee_names = committee_names
        measures[key] = measure
    if new:
        bulk_create_with_history(new, Measure, reason=f"Imported from {report.file_name}")
        if any(m.pk is None for m in new):
            for measure in new:
                measure.pk = Measure.objects.filter(title=measure.title).order_by("-pk").values_list("pk", flat=True)[0]
    links = []
    for measure in measures.values():
        if measure._committee_names is not None:
            wanted = {committees.get(n) or _create_named(Committee, n, committees) for n in measure._committee_names}
            if getattr(measure, "_created", False):
                links += [Measure.committees.through(measure=measure, committee=c) for c in wanted]
            elif set(measure.committees.all()) != wanted:
                measure.committees.set(wanted)
    Measure.committees.through.objects.bulk_create(links)
    return measures


LABEL_FREQUENCIES = {
    periods.MONTH: "monthly", periods.QUARTER: "quarterly", periods.TERM: "termly",
    periods.FINANCIAL_YEAR: "annual", periods.ACADEMIC_YEAR: "annual", periods.CALENDAR_YEAR: "annual",
    periods.ROLLING_12: "rolling_12", periods.SNAPSHOT: "irregular",
}


def _year_basis(item):
    return item.measure.get("year_basis") or periods.FINANCIAL_YEAR


def _label_frequency(item, year_basis):
    """The frequency a row's period label implies ("Q1 2014/15": quarterly), for a measure the
    file creates without saying how often it reports; None where the label is no period."""
    try:
        return LABEL_FREQUENCIES[periods.parse_period(item.period_text, year_basis).kind]
    except periods.PeriodError:
        return None


def _create_named(model, name, cache):
    obj, _ = model.objects.get_or_create(name=name, defaults={"slug": slugify(name)[:50]})
    cache[name] = obj
    return obj


def _create_outcome(name, cache):
    obj, _ = Outcome.objects.get_or_create(
        name=name, defaults={"slug": slugify(name)[:50], "short_name": name[:60]})
    cache[name] = obj
    return obj


def _rate(parsed, measures, spans, period_ids, touched, report, keep_reported):
    """Rate the touched measures by the rules; list where the file's ratings differ, and keep the
    file's as overrides when told to."""
    reported = {}
    for item in parsed:
        if item.rag is not None or item.dot is not None:
            measure = measures[item.key]
            reported[(measure.pk, period_ids[spans[item.number]])] = item
    if keep_reported and reported:
        touched |= {k[0] for k in reported}
    with _stamps_kept_where_unchanged(touched):
        _rate_reported(reported, measures, touched, report, keep_reported)


RATING_STATE = ("rag", "direction_of_travel", "rag_override", "dot_override", "override_reason")


@contextmanager
def _stamps_kept_where_unchanged(measure_ids):
    """Rating, clearing and keeping overrides passes through states in between: a value whose
    ratings end as they began keeps its `updated_at`, so a re-import that changes nothing moves
    nothing for the API's `updated_since`."""
    values = Value.objects.filter(measure_id__in=measure_ids)
    before = {pk: rest for pk, *rest in values.values_list("pk", *RATING_STATE, "updated_at")}
    yield
    kept = [Value(pk=pk, updated_at=state[-1]) for pk, *after in values.values_list("pk", *RATING_STATE)
            if (state := before.get(pk)) is not None and state[:-1] == after]
    Value.objects.bulk_update(kept, ["updated_at"], batch_size=500)


def _rate_reported(reported, measures, touched, report, keep_reported):
    if keep_reported and reported:
        Value.objects.filter(
            measure_id__in={k[0] for k in reported}, override_reason__startswith=AS_REPORTED_IN
        ).update(rag_override="", dot_override="", override_reason="")
    _rate_or_refuse([m for m in measures.values() if m.pk in touched], report)
    if not reported:
        return
    stored = Value.objects.filter(measure_id__in={k[0] for k in reported}).select_related("period", "measure")
    targets = defaultdict(list)
    for target in Target.objects.filter(measure_id__in={k[0] for k in reported}).select_related("period"):
        targets[target.measure_id].append(target)
    overridden = set()
    for value in stored:
        item = reported.get((value.measure_id, value.period_id))
        if item is None:
            continue
        overrides = {}
        if item.rag is not None and item.rag != value.rag:
            overrides["rag_override"] = item.rag
            report.differences.append(RatingDifference(
                item.number, value.measure.title, value.period.label, item.rag, value.rag,
                _why(value, in_force(targets[value.measure_id], value.period.span)),
            ))
        if item.dot is not None and item.dot != value.direction_of_travel:
            overrides["dot_override"] = item.dot
        if keep_reported and overrides:
            Value.objects.filter(pk=value.pk).update(
                override_reason=f"{AS_REPORTED_IN}{report.file_name}"[:300], updated_at=timezone.now(), **overrides)
            overridden.add(value.measure_id)
    _rate_or_refuse([m for m in measures.values() if m.pk in overridden], report)


def _rate_or_refuse(measures, report):
    """Rate the measures; a rule the file's figures break (a floor on the wrong side of a target
    already stored, say) refuses that measure's rows rather than failing the import."""
    try:
        services.rate_measures([m.pk for m in measures], reason=None)
    except ValueError:
        for measure in measures:
            try:
                services.rate_measures([measure.pk], reason=None)
            except ValueError as error:
                for row in report.rows:
                    if row.measure == measure.title:
                        row.errors.append(f"row {row.number}: {measure.title} cannot be rated: {error}")
                        row.action = REFUSED


def _why(value, target):
    measure = value.measure
    if value.value is None:
        return "the file gives no figure"
    if target is None:
        return f"{measure.format(value.value)} has no target to be rated against"
    if measure.polarity == Polarity.NONE:
        return "the measure has no polarity, so the rules give no rating"
    if measure.rating_rule == Measure.RatingRule.REPORTED:
        return "the measure is rated as reported"
    better = "higher" if measure.polarity == Polarity.HIGHER else "lower"
    rule = measure.rule_text
    if measure.rating_rule == Measure.RatingRule.FLOOR:
        rule = rule.replace("(floor)", f"(floor) of {measure.format(target.floor)}")
    why = (
        f"{measure.format(value.value)} against a target of {measure.format(target.value)} "
        f"in force for {target.period.label} ({better} is better; {rule})"
    )
    # A band in per cent of a target of 0 is no band: the rule page refuses it; here, say so.
    return "; ".join([why, *rule_problems(measure.rule, [target.value], measure.polarity)])
