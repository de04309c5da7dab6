"""Import a corporate risk register from a table of records (see imports.table).

A register may give only some of a risk's fields (Kent's budget register gives likelihood and
financial exposure, no impact, no level, no code): what it gives is stored, nothing is made up.
Risks are matched on their code, or on their title when the register has no codes; a new risk
without a code is numbered after the mapping's `code_prefix` ("KCC-BR-1"), in file order, with
the next number no risk holds (a retitled risk is a new risk: it never takes an old one's code).
Likelihood and impact are whole numbers on the register's scale (risks.scoring, as the review
form checks them); anything else refuses the row, as a figure's bad cell does.
The same all-or-nothing, dry-run and unchanged-rows-are-not-saved rules as for figures apply.
"""

from imports.cells import CellError, read_number, read_word
from imports.report import (
    CHANGED, CREATED, REFUSED, UNCHANGED, Report, RowResult, cell_error, write_all_or_nothing,
)
from measures import periods
from measures.models import Outcome, PopulationIndicator
from risks import scoring
from risks.models import Level, Risk, Trend
from risks.services import current_scale, current_thresholds

MONEY_UNITS = {"": 1, "k": 1000, "m": 1000000}  # `[cells] money_unit = "m"`: the file counts in £m
TEXT_FIELDS = ("title", "description", "cause", "consequence", "owner", "mitigations", "directorate")


def import_risks(records, mapping, *, file_name, reason="", dry_run=False, progress=None, left_out=0,
                 **ignored):
    report = Report(file_name=file_name, mapping=mapping.name, dry_run=dry_run, left_out=left_out)
    parsed = []
    scale = current_scale()
    for record in records:
        row = RowResult(record.number, measure=record.cells.get("title") or record.cells.get("code", ""))
        report.rows.append(row)
        fields = _parse(record, mapping, row, scale)
        if row.errors:
            row.action = REFUSED
        else:
            parsed.append((row, fields))
    return write_all_or_nothing(report, lambda: _write(parsed, report, mapping, reason, progress))


def _parse(record, mapping, row, scale=scoring.Scale()):
    cells = record.cells

    def fail(name, reason):
        cell_error(row, record, name, reason)

    fields = {name: cells[name].strip() for name in TEXT_FIELDS if name in cells}
    if cells.get("event"):
        fields["description"] = cells["event"].strip()
    bounds = {"likelihood": (scale.likelihood_min, scale.likelihood_max),
              "impact": (scale.impact_min, scale.impact_max)}
    for name in ("likelihood", "impact"):
        if name in cells:
            try:
                fields[name] = read_rating(cells[name], mapping.missing, name, *bounds[name])
            except CellError as error:
                fail(name, str(error))
    for name in ("annual_exposure", "lifetime_exposure"):
        if name in cells:
            try:
                number = read_number(cells[name], mapping.missing, scale_money=True)
                fields[name] = None if number is None else number * MONEY_UNITS[mapping.money_unit]
            except CellError as error:
                fail(name, str(error))
    for name, choices in (("level", Level), ("trend", Trend)):
        text = cells.get(name, "").strip()
        if text:
            words = mapping.words.get(name, {})
            try:
                value = read_word(text, words, name) if text.casefold() in {k.casefold() for k in words} else text
                fields[name] = next(v for v, label in choices.choices if value.casefold() in (v.casefold(), label.casefold()))
            except (CellError, StopIteration):
                fail(name, f"'{text}' is not a risk {name} ({', '.join(choices.labels)})")
    if cells.get("review_date"):
        try:
            fields["review_date"] = periods.parse_period(cells["review_date"]).start
        except periods.PeriodError as error:
            fail("review_date", str(error))
    fields["code"] = cells.get("code", "").strip()
    for name, longest in (("code", Risk._meta.get_field("code").max_length),
                          ("title", Risk._meta.get_field("title").max_length),
                          ("owner", Risk._meta.get_field("owner").max_length),
                          ("directorate", Risk._meta.get_field("directorate").max_length)):
        if len(fields.get(name) or "") > longest:
            fail(name, f"longer than {longest} characters")
    fields["outcomes"] = [o.strip() for o in cells.get("outcomes", "").split(";") if o.strip()]
    fields["indicators"] = [i.strip() for i in cells.get("indicators", "").split(";") if i.strip()]
    if not fields.get("title") and not fields["code"]:
        fail("title", "the risk has no title or code")
    return fields


def read_rating(text, missing, name, low, high):
    """A likelihood or impact cell as a whole number within low-high, or None when blank."""
    number = read_number(text, missing)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"the {name} must be a whole number from {low} to {high} (it is {number})")
    try:
        return scoring.check_rating(name, int(number), low, high)
    except scoring.ScoringError as error:
        raise CellError(str(error).rstrip(".")) from None


def _free_code(prefix, numbered):
    """`prefix` + the first number from `numbered` up that no risk holds."""
    while Risk.objects.filter(code=f"{prefix}{numbered}").exists():
        numbered += 1
    return f"{prefix}{numbered}", numbered


def _write(parsed, report, mapping, reason, progress):
    change_reason = f"Imported from {report.file_name}" + (f": {reason}" if reason else "")
    prefix = mapping.code_prefix
    numbered = 0
    for done, (row, fields) in enumerate(parsed, 1):
        outcome_names, numbers = fields.pop("outcomes"), fields.pop("indicators")
        outcomes = []
        for name in outcome_names:
            outcome = Outcome.objects.filter(slug=name).first() or Outcome.objects.filter(name=name).first()
            if outcome is None:
                row.errors.append(f"row {row.number}, Outcomes: there is no outcome '{name}'")
            else:
                outcomes.append(outcome)
        indicators = []
        for number in numbers:
            indicator = PopulationIndicator.objects.filter(outcome__in=outcomes, number=number).first()
            if indicator is None:
                row.errors.append(f"row {row.number}, Indicators: no population indicator {number} "
                                  "in the risk's outcomes")
            else:
                indicators.append(indicator)
        if row.errors:
            row.action = REFUSED
            continue
        code = fields.pop("code")
        numbered += 1
        if code:
            risk = Risk.objects.filter(code=code).first()
        else:  # two registers' risks may share a title ("Market Sustainability"): the directorate tells
            risk = Risk.objects.filter(title=fields.get("title", ""),
                                       directorate=fields.get("directorate", "")).first()
        if "level" not in fields and fields.get("likelihood") and fields.get("impact"):
            try:
                fields["level"] = scoring.level_for(fields["likelihood"] * fields["impact"], current_thresholds())
            except scoring.ScoringError as error:
                row.errors.append(f"row {row.number}: {error}")
                row.action = REFUSED
                continue
        if risk is None:
            if not code:
                code, numbered = _free_code(prefix, numbered)
            risk = Risk(code=code, **fields)
            risk._change_reason = change_reason
            risk.save()
            row.action = CREATED
        else:
            changed = [name for name, value in fields.items() if getattr(risk, name) != value]
            for name in changed:
                setattr(risk, name, fields[name])
            if changed:
                risk._change_reason = change_reason
                risk.save()
                row.changes = changed
            row.action = CHANGED if changed else UNCHANGED
        row.measure = f"{risk.code} {risk.title}"
        if outcome_names and set(risk.outcomes.all()) != set(outcomes):
            risk.outcomes.set(outcomes)
            row.action = CHANGED if row.action == UNCHANGED else row.action
        if (outcome_names or numbers) and set(risk.population_indicators.all()) != set(indicators):
            risk.population_indicators.set(indicators)
            row.action = CHANGED if row.action == UNCHANGED else row.action
        if progress:
            progress(done, len(parsed))
