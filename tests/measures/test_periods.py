import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from measures import periods
from measures.periods import (
    ACADEMIC_YEAR, CALENDAR_YEAR, FINANCIAL_YEAR, MONTH, QUARTER, ROLLING_12, SNAPSHOT, TERM,
    Kind, PeriodError, Span, due, label, month_label, months_before, parse_period, previous, quarter_ending,
    reporting_span, reporting_spans, span, year_earlier, year_later,
)

ALL_KINDS = [MONTH, QUARTER, TERM, FINANCIAL_YEAR, ACADEMIC_YEAR, CALENDAR_YEAR, ROLLING_12, SNAPSHOT]
kinds = st.sampled_from(ALL_KINDS)
# Two-digit years mean 20YY, so labels round-trip from the financial year 2000-01 onwards
# (Jan-Mar 2000 is "Q4 99-00", which reads as 2099-00).
days = st.dates(min_value=date(2000, 4, 1), max_value=date(2098, 12, 31))


def month(year, number):
    return span(MONTH, date(year, number, 1))


@pytest.mark.parametrize("text, kind, start, end", [
    ("Oct-20", MONTH, date(2020, 10, 1), date(2020, 10, 31)),
    ("Sep-20", MONTH, date(2020, 9, 1), date(2020, 9, 30)),
    ("Nov 17", MONTH, date(2017, 11, 1), date(2017, 11, 30)),
    ("Nov 2017", MONTH, date(2017, 11, 1), date(2017, 11, 30)),
    ("March 2018", MONTH, date(2018, 3, 1), date(2018, 3, 31)),
    ("May 2017", MONTH, date(2017, 5, 1), date(2017, 5, 31)),
    ("Jun 18", MONTH, date(2018, 6, 1), date(2018, 6, 30)),
    ("Sept 2020", MONTH, date(2020, 9, 1), date(2020, 9, 30)),
    ("Feb-20", MONTH, date(2020, 2, 1), date(2020, 2, 29)),
    ("Q2 17-18", QUARTER, date(2017, 7, 1), date(2017, 9, 30)),
    ("Q1 2018-19", QUARTER, date(2018, 4, 1), date(2018, 6, 30)),
    ("Qtr. 3 17-18", QUARTER, date(2017, 10, 1), date(2017, 12, 31)),
    ("Qtr 3 2017-18", QUARTER, date(2017, 10, 1), date(2017, 12, 31)),
    ("Quarter 3 17-18", QUARTER, date(2017, 10, 1), date(2017, 12, 31)),
    ("Q4 2017-18", QUARTER, date(2018, 1, 1), date(2018, 3, 31)),
    ("2016-17", FINANCIAL_YEAR, date(2016, 4, 1), date(2017, 3, 31)),
    ("2015-16", FINANCIAL_YEAR, date(2015, 4, 1), date(2016, 3, 31)),
    ("16-17", FINANCIAL_YEAR, date(2016, 4, 1), date(2017, 3, 31)),
    ("13-14", FINANCIAL_YEAR, date(2013, 4, 1), date(2014, 3, 31)),
    ("2016/17", FINANCIAL_YEAR, date(2016, 4, 1), date(2017, 3, 31)),
    ("2016", CALENDAR_YEAR, date(2016, 1, 1), date(2016, 12, 31)),
    ("2020-10", MONTH, date(2020, 10, 1), date(2020, 10, 31)),
    ("2017-11-30", SNAPSHOT, date(2017, 11, 30), date(2017, 11, 30)),
    ("30 Nov 2017", SNAPSHOT, date(2017, 11, 30), date(2017, 11, 30)),
    # Other councils' files
    ("Jan 2024", MONTH, date(2024, 1, 1), date(2024, 1, 31)),
    ("Q2 18/19", QUARTER, date(2018, 7, 1), date(2018, 9, 30)),
    ("Quarter 3 2024 to 2025", QUARTER, date(2024, 10, 1), date(2024, 12, 31)),
    ("2023/24", FINANCIAL_YEAR, date(2023, 4, 1), date(2024, 3, 31)),
    ("2017-18 AY", ACADEMIC_YEAR, date(2017, 9, 1), date(2018, 8, 31)),
    ("AY 2017/18", ACADEMIC_YEAR, date(2017, 9, 1), date(2018, 8, 31)),
    ("2017-18 academic year", ACADEMIC_YEAR, date(2017, 9, 1), date(2018, 8, 31)),
    ("FY 2023/24", FINANCIAL_YEAR, date(2023, 4, 1), date(2024, 3, 31)),
    ("Term 1 2024/25", TERM, date(2024, 9, 1), date(2024, 12, 31)),
    ("Term 2 2024/25", TERM, date(2025, 1, 1), date(2025, 3, 31)),
    ("Term 3 2024-25", TERM, date(2025, 4, 1), date(2025, 8, 31)),
    ("Autumn term 2024-25", TERM, date(2024, 9, 1), date(2024, 12, 31)),
    ("Spring 2025", TERM, date(2025, 1, 1), date(2025, 3, 31)),
    ("Summer term 2025", TERM, date(2025, 4, 1), date(2025, 8, 31)),
    ("Dec 2024 (rolling 12 months)", ROLLING_12, date(2024, 1, 1), date(2024, 12, 31)),
    ("12 months to Mar-21", ROLLING_12, date(2020, 4, 1), date(2021, 3, 31)),
    ("Rolling 12 months to Feb 2024", ROLLING_12, date(2023, 3, 1), date(2024, 2, 29)),
])
def test_parse_period_reads_every_form_the_reports_use(text, kind, start, end):
    assert parse_period(text) == Span(kind, start, end)


@pytest.mark.parametrize(
    "text", ["  oct-20 ", "OCT-20", "q2 17-18", " QTR. 3 17-18\t", "sept 2020"]
)
def test_parse_period_ignores_case_and_surrounding_whitespace(text):
    assert parse_period(text) == parse_period(text.strip().title())


def test_a_pair_of_years_is_an_academic_year_on_an_academic_basis():
    assert parse_period("2016-17", year_basis=ACADEMIC_YEAR) == Span(
        ACADEMIC_YEAR, date(2016, 9, 1), date(2017, 8, 31)
    )


def test_consecutive_years_read_as_a_year_rather_than_an_iso_month():
    assert parse_period("2011-12").kind == FINANCIAL_YEAR


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "Q5 17-18", "Octember 20", "2020-13", "13/2020", "2016-18", "Q2 17-19",
    "2017-02-30", "31 Feb 2017", "Oct", "20", "Oct-2", "2020-1",
])
def test_parse_period_rejects_text_that_is_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_period_error_names_the_text():
    with pytest.raises(PeriodError, match="'Octember 20' is not a period PerfHub recognises"):
        parse_period("Octember 20")


def test_period_error_explains_years_that_do_not_follow_each_other():
    with pytest.raises(PeriodError, match="'2016-18'.*second year"):
        parse_period("2016-18")


def test_parse_period_rejects_an_unknown_year_basis():
    with pytest.raises(PeriodError):
        parse_period("2016-17", year_basis="tax_year")


def test_a_pair_of_years_is_a_financial_year_on_a_calendar_basis():
    assert parse_period("2016-17", year_basis=CALENDAR_YEAR).kind == FINANCIAL_YEAR


def test_ay_or_fy_in_the_text_wins_over_the_year_basis():
    assert parse_period("2017-18 AY", year_basis=FINANCIAL_YEAR).kind == ACADEMIC_YEAR
    assert parse_period("FY 2017-18", year_basis=ACADEMIC_YEAR).kind == FINANCIAL_YEAR


@pytest.mark.parametrize("text", [
    "Term 4 2024/25", "Winter 2024", "Term 1 2024/26", "2017-19 AY", "AY 2017-18 FY",
    "Q2 17-18 (rolling 12 months)", "12 months to 2024", "Quarter 3 2024 to 2026",
])
def test_parse_period_rejects_the_new_forms_done_wrong(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("kind, day, expected", [
    (MONTH, date(2020, 10, 15), "Oct-20"),
    (QUARTER, date(2020, 8, 1), "Q2 20-21"),
    (QUARTER, date(2021, 2, 1), "Q4 20-21"),
    (FINANCIAL_YEAR, date(2020, 4, 1), "2020-21"),
    (FINANCIAL_YEAR, date(2021, 3, 31), "2020-21"),
    (ACADEMIC_YEAR, date(2020, 9, 1), "2020-21"),
    (ACADEMIC_YEAR, date(2021, 8, 31), "2020-21"),
    (CALENDAR_YEAR, date(2016, 6, 1), "2016"),
    (SNAPSHOT, date(2017, 11, 30), "30 Nov 2017"),
    (SNAPSHOT, date(2018, 3, 5), "5 Mar 2018"),
    (TERM, date(2024, 10, 1), "Term 1 (Autumn) 2024-25"),
    (TERM, date(2025, 2, 1), "Term 2 (Spring) 2024-25"),
    (TERM, date(2025, 8, 31), "Term 3 (Summer) 2024-25"),
])
def test_label_is_as_the_reports_write_it(kind, day, expected):
    assert label(kind, day) == expected
    assert span(kind, day).label == expected


def test_rolling_twelve_months_are_labelled_by_their_last_month():
    s = span(ROLLING_12, date(2024, 12, 15))
    assert s == Span(ROLLING_12, date(2024, 1, 1), date(2024, 12, 31))
    assert s.label == label(ROLLING_12, s.start) == "12 months to Dec-24"


def test_rolling_twelve_months_step_back_a_month_and_a_year():
    s = parse_period("Dec 2024 (rolling 12 months)")
    assert previous(s).label == "12 months to Nov-24"
    assert year_earlier(s).label == "12 months to Dec-23"


def test_kind_choices_accept_the_plain_names():
    assert Kind.QUARTER == QUARTER
    assert span(Kind.MONTH, date(2020, 10, 3)).kind == MONTH


def test_span_rejects_an_unknown_kind():
    with pytest.raises(PeriodError):
        span("fortnight", date(2020, 10, 3))


def test_a_snapshot_spans_one_day():
    day = date(2017, 11, 30)
    assert span(SNAPSHOT, day) == Span(SNAPSHOT, day, day)


@pytest.mark.parametrize("s, expected", [
    (Span(SNAPSHOT, date(2017, 11, 30), date(2017, 11, 30)), "2017-11-30"),
    (month(2020, 10), "2020-10"),
    (span(CALENDAR_YEAR, date(2016, 1, 1)), "2016"),
])
def test_iso_form(s, expected):
    assert s.iso == expected


def test_month_label_of_a_quarter_end_names_the_month_it_ends_in():
    assert month_label(span(QUARTER, date(2020, 7, 1)).end) == "Sep-20"


@pytest.mark.parametrize("text, expected", [
    ("Oct-20", "Oct-19"),
    ("Q2 20-21", "Q2 19-20"),
    ("2016-17", "2015-16"),
    ("2016", "2015"),
    ("2017-11-30", "30 Nov 2016"),
])
def test_year_earlier_is_the_same_period_a_year_before(text, expected):
    assert year_earlier(parse_period(text)).label == expected


def test_year_earlier_than_29_february_is_28_february():
    assert year_earlier(span(SNAPSHOT, date(2020, 2, 29))).start == date(2019, 2, 28)


@pytest.mark.parametrize("text, expected", [
    ("Jan-21", "Dec-20"),
    ("Q1 20-21", "Q4 19-20"),
    ("Q4 20-21", "Q3 20-21"),
    ("2016-17", "2015-16"),
    ("2016", "2015"),
])
def test_previous_is_the_period_just_before(text, expected):
    assert previous(parse_period(text)).label == expected


def test_a_snapshot_has_no_previous_period():
    with pytest.raises(PeriodError):
        previous(span(SNAPSHOT, date(2017, 11, 30)))


@pytest.mark.parametrize("day, expected", [
    (date(2020, 6, 30), "Q1 20-21"),
    (date(2020, 9, 1), "Q2 20-21"),
    (date(2020, 12, 31), "Q3 20-21"),
    (date(2021, 3, 31), "Q4 20-21"),
])
def test_quarter_ending_is_the_quarter_whose_last_month_holds_the_date(day, expected):
    assert quarter_ending(day).label == expected


def test_quarter_ending_rejects_a_month_that_ends_no_quarter():
    with pytest.raises(PeriodError, match="Oct-20"):
        quarter_ending(date(2020, 10, 31))


@pytest.mark.parametrize("frequency, due_months", [
    ("monthly", set(range(1, 13))),
    ("quarterly", {3, 6, 9, 12}),
    ("annual", {3}),
    ("termly", {12, 3, 8}),
    ("rolling_12", set(range(1, 13))),
    ("irregular", set()),
])
def test_due_follows_the_frequency(frequency, due_months):
    assert {n for n in range(1, 13) if due(frequency, month(2020, n))} == due_months


@pytest.mark.parametrize("basis, last_month, expected", [
    (FINANCIAL_YEAR, 3, "2019-20"), (ACADEMIC_YEAR, 8, "2019-20"), (CALENDAR_YEAR, 12, "2020"),
])
def test_an_annual_measure_reports_at_the_end_of_its_kind_of_year(basis, last_month, expected):
    assert {n for n in range(1, 13) if due("annual", month(2020, n), basis)} == {last_month}
    reported = reporting_span("annual", month(2020, last_month), basis)
    assert (reported.kind, reported.label) == (basis, expected)


@pytest.mark.parametrize("frequency, month_number, expected", [
    ("termly", 12, "Term 1 (Autumn) 2020-21"),
    ("termly", 3, "Term 2 (Spring) 2019-20"),
    ("termly", 8, "Term 3 (Summer) 2019-20"),
    ("rolling_12", 7, "12 months to Jul-20"),
    ("quarterly", 9, "Q2 20-21"),
    ("monthly", 5, "May-20"),
])
def test_reporting_span_is_the_period_ending_in_the_month(frequency, month_number, expected):
    assert reporting_span(frequency, month(2020, month_number)).label == expected


def test_due_rejects_an_unknown_frequency():
    with pytest.raises(ValueError):
        due("fortnightly", month(2020, 10))


@given(kinds, days)
def test_span_contains_the_day_and_its_label_round_trips(kind, day):
    s = span(kind, day)
    assert s.kind == kind
    assert s.start <= day <= s.end
    basis = ACADEMIC_YEAR if kind == ACADEMIC_YEAR else FINANCIAL_YEAR
    assert parse_period(s.label, year_basis=basis) == s
    # Before 2012 an ISO month such as 2011-12 reads as the year 2011-12.
    if kind == SNAPSHOT or kind == MONTH and s.start.year >= 2012:
        assert parse_period(s.iso) == s


@given(kinds, days)
def test_year_earlier_has_the_same_kind_and_starts_the_year_before(kind, day):
    s = span(kind, day)
    earlier = year_earlier(s)
    assert earlier.kind == s.kind
    assert earlier.start.year == s.start.year - 1
    assert earlier.start.month == s.start.month


@given(kinds.filter(lambda k: k not in (SNAPSHOT, ROLLING_12)), days)
def test_previous_ends_the_day_before_the_period_starts(kind, day):
    s = span(kind, day)
    before = previous(s)
    assert before.kind == s.kind
    assert (before.end - s.start).days == -1


@pytest.mark.parametrize("frequency, basis, year, expected", [
    ("monthly", FINANCIAL_YEAR, "2020-21", ["Apr-20", "May-20", "Mar-21"]),
    ("irregular", FINANCIAL_YEAR, "2020-21", ["Apr-20", "May-20", "Mar-21"]),
    ("quarterly", FINANCIAL_YEAR, "2020-21", ["Q1 20-21", "Q2 20-21", "Q3 20-21", "Q4 20-21"]),
    ("termly", ACADEMIC_YEAR, "2020-21", ["Term 1 (Autumn) 2020-21", "Term 2 (Spring) 2020-21",
                                          "Term 3 (Summer) 2020-21"]),
    ("annual", ACADEMIC_YEAR, "2020-21", ["2020-21"]),
    ("rolling_12", FINANCIAL_YEAR, "2020-21", ["12 months to Apr-20", "12 months to May-20",
                                               "12 months to Mar-21"]),
])
def test_reporting_spans_are_the_periods_reported_through_a_year(frequency, basis, year, expected):
    spans = reporting_spans(frequency, parse_period(year, basis), basis)
    labels = [s.label for s in spans]
    if len(expected) == 3 and len(labels) == 12:
        labels = labels[:2] + labels[-1:]
    assert labels == expected


@given(kinds, days.filter(lambda d: d.year < 2098))
def test_year_later_undoes_year_earlier(kind, day):
    s = span(kind, day)
    assert year_earlier(year_later(s)) == s or s.start.month == 2 and s.start.day == 29


frequencies = st.sampled_from(["monthly", "quarterly", "termly", "annual", "rolling_12"])
bases = st.sampled_from([FINANCIAL_YEAR, ACADEMIC_YEAR, CALENDAR_YEAR])


@given(frequencies, bases, days)
def test_a_measure_due_in_a_month_reports_on_a_period_ending_with_it(frequency, basis, day):
    m = span(MONTH, day)
    if due(frequency, m, basis):
        reported = reporting_span(frequency, m, basis)
        assert reported.end == m.end
        assert reported.start <= m.start


@given(frequencies, bases, days)
def test_the_periods_of_a_year_are_each_reported_once_in_order(frequency, basis, day):
    year = span(basis, day)
    spans = reporting_spans(frequency, year, basis)
    assert spans == sorted(set(spans), key=lambda s: s.end)
    assert len(spans) == {"monthly": 12, "rolling_12": 12, "quarterly": 4, "termly": 3, "annual": 1}[frequency]


@pytest.mark.parametrize("text", ["0001-05", "May-0001", "1989-12", "2101-01", "2100-01", "1989-90", "0001-01-01"])
def test_periods_outside_the_years_1990_to_2100_are_refused(text):
    with pytest.raises(PeriodError, match="from 1990 to 2100"):
        parse_period(text)


@pytest.mark.parametrize("text", ["9999", "0000-01-01", "0000-01"])
def test_dates_that_do_not_exist_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("text", ["1990-01", "2100-12", "1990", "Q3 2099-2100"])
def test_periods_at_the_edges_of_the_years_held_are_read(text):
    parse_period(text)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12))
def test_every_month_read_has_a_year_earlier(year, month_number):
    try:
        month_span = parse_period(f"{year:04d}-{month_number:02d}")
    except PeriodError:
        # 2100-01 reads as the financial year 2100-01, which ends in 2101.
        assert not 1990 <= year <= 2100 or (year, month_number) == (2100, 1)
    else:
        assert year_earlier(month_span).start.year == year - 1


@pytest.mark.parametrize("kind, day, months, expected", [
    (MONTH, date(2024, 12, 1), 1, "Nov-24"),
    (QUARTER, date(2024, 10, 1), 3, "Q2 24-25"),
    (ROLLING_12, date(2024, 12, 1), 3, "12 months to Sep-24"),
    (ROLLING_12, date(2024, 1, 1), 1, "12 months to Dec-23"),
    (FINANCIAL_YEAR, date(2024, 4, 1), 12, "2023-24"),
])
def test_months_before_is_the_period_of_the_same_kind_ending_that_many_months_earlier(kind, day, months, expected):
    assert months_before(span(kind, day), months).label == expected


# Month labels for longer periods (periods.reported_span)

@pytest.mark.parametrize("label, frequency, month_is, basis, expected", [
    ("Jan 2024", "quarterly", "first", periods.FINANCIAL_YEAR, "Q4 23-24"),
    ("Mar 2024", "quarterly", "last", periods.FINANCIAL_YEAR, "Q4 23-24"),
    ("Feb 2024", "quarterly", "within", periods.FINANCIAL_YEAR, "Q4 23-24"),
    ("Apr 2023", "annual", "first", periods.FINANCIAL_YEAR, "2023-24"),
    ("Mar 2024", "annual", "last", periods.FINANCIAL_YEAR, "2023-24"),
    ("Sep 2022", "annual", "first", periods.ACADEMIC_YEAR, "2022-23"),
    ("Aug 2023", "annual", "last", periods.ACADEMIC_YEAR, "2022-23"),
    ("Jan 2023", "annual", "first", periods.CALENDAR_YEAR, "2023"),
    ("May 2024", "termly", "within", periods.ACADEMIC_YEAR, "Term 3 (Summer) 2023-24"),
    ("Apr 2024", "termly", "first", periods.ACADEMIC_YEAR, "Term 3 (Summer) 2023-24"),
    ("Dec 2023", "termly", "last", periods.ACADEMIC_YEAR, "Term 1 (Autumn) 2023-24"),
    ("Dec 2024", "rolling_12", "last", periods.FINANCIAL_YEAR, "12 months to Dec-24"),
    ("Jan 2024", "rolling_12", "first", periods.FINANCIAL_YEAR, "12 months to Dec-24"),
    ("Q3 2024/25", "rolling_12", "last", periods.FINANCIAL_YEAR, "12 months to Dec-24"),
    ("Oct-20", "monthly", "first", periods.FINANCIAL_YEAR, "Oct-20"),
    ("Q2 17-18", "quarterly", "first", periods.FINANCIAL_YEAR, "Q2 17-18"),
    ("Nov 2017", "irregular", "last", periods.FINANCIAL_YEAR, "Nov-17"),
])
def test_a_month_label_names_the_period_its_rule_says(label, frequency, month_is, basis, expected):
    labelled = periods.parse_period(label, basis)

    assert periods.reported_span(labelled, frequency, month_is, basis).label == expected


@pytest.mark.parametrize("label, frequency, month_is, message", [
    ("Feb 2024", "quarterly", "first", "'Feb-24' is not the first month of a quarter"),
    ("Jan 2024", "quarterly", "last", "'Jan-24' is not the last month of a quarter"),
    ("Apr 2023", "annual", "last", "label it by its last month (as Mar-24 for 2023-24)"),
    ("May 2024", "termly", "first", "'May-24' is not the first month of a school term"),
    ("2023-24", "quarterly", "last", "'2023-24' is a year, which does not fit a quarterly measure"),
    ("Q1 23-24", "monthly", "last", "'Q1 23-24' is a quarter, which does not fit a monthly measure"),
    ("Q1 23-24", "termly", "last", "does not fit a termly measure: give a school term (as Term 1 2024/25)"),
    ("2017-11-30", "monthly", "last", "'30 Nov 2017' is a single date, which does not fit a monthly measure"),
])
def test_a_label_that_does_not_fit_the_frequency_is_refused_saying_what_fits(label, frequency, month_is, message):
    labelled = periods.parse_period(label)

    with pytest.raises(periods.PeriodError, match=re.escape(message)):
        periods.reported_span(labelled, frequency, month_is)


def test_an_unknown_month_label_rule_is_refused():
    with pytest.raises(periods.PeriodError, match="'middle' is not a rule for month labels"):
        periods.reported_span(periods.parse_period("Jan 2024"), "quarterly", "middle")


@given(st.dates(date(1991, 1, 1), date(2099, 1, 1)),
       st.sampled_from(["quarterly", "termly", "annual", "rolling_12"]),
       st.sampled_from([periods.FINANCIAL_YEAR, periods.ACADEMIC_YEAR, periods.CALENDAR_YEAR]))
def test_a_month_label_is_never_read_as_a_month_for_a_longer_period(day, frequency, basis):
    month = periods.span(periods.MONTH, day)
    for rule in ("first", "last", "within"):
        try:
            found = periods.reported_span(month, frequency, rule, basis)
        except periods.PeriodError:
            continue
        assert found.kind != periods.MONTH and found.start <= month.start and month.end <= found.end \
            or frequency == "rolling_12" and found.end >= month.end
# A figure's period fits its measure's frequency; periods are what their kind and start make
# (issue 22, finding 4).


@given(kinds, days)
def test_every_period_span_makes_is_whole_and_fits_the_frequencies_that_use_its_kind(kind, day):
    from measures.periods import FREQUENCY_KINDS, check_fits, check_whole

    made = span(kind, day)
    check_whole(made)
    check_fits("irregular", made)
    for frequency, frequency_kinds in FREQUENCY_KINDS.items():
        if kind in frequency_kinds:
            check_fits(frequency, made)
        else:
            with pytest.raises(PeriodError):
                check_fits(frequency, made)


def test_a_quarter_does_not_fit_a_monthly_measure():
    from measures.periods import check_fits

    with pytest.raises(PeriodError, match="Q2 20-21 is a quarter: a monthly measure's figures are each for a month"):
        check_fits("monthly", span(QUARTER, date(2020, 9, 1)))
    with pytest.raises(PeriodError, match="an annual measure's figures are each for a financial year"):
        check_fits("annual", span(MONTH, date(2020, 9, 1)))


def test_a_month_made_by_hand_to_run_to_2099_is_no_month():
    from measures.periods import check_fits, check_whole

    by_hand = Span(MONTH, date(2026, 11, 1), date(2099, 12, 31))
    with pytest.raises(PeriodError, match="1 Nov 2026 to 31 Dec 2099 is not a month: that one runs"):
        check_whole(by_hand)
    with pytest.raises(PeriodError):
        check_fits("monthly", by_hand)
