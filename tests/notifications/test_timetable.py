"""The collection timetable's rules: working days, deadlines, where a deadline stands."""

from datetime import date, datetime

import time_machine
from django.test import SimpleTestCase

from notifications import timetable


class WorkingDaysTests(SimpleTestCase):
    def test_weekends_and_england_and_wales_bank_holidays_are_not_working_days(self):
        assert timetable.is_working_day(date(2020, 12, 24))
        assert not timetable.is_working_day(date(2020, 12, 25))  # Christmas Day
        assert not timetable.is_working_day(date(2020, 12, 26))  # Saturday, Boxing Day
        assert not timetable.is_working_day(date(2020, 12, 28))  # Boxing Day's substitute
        assert not timetable.is_working_day(date(2021, 1, 1))
        assert not timetable.is_working_day(date(2020, 8, 31))  # late summer bank holiday
        assert timetable.is_working_day(date(2020, 3, 17))  # St Patrick's Day: Northern Ireland's only

    def test_a_deadline_counts_working_days_after_the_period_ends(self):
        # October 2020 ended on a Saturday: ten working days are 2-13 November.
        assert timetable.deadline(date(2020, 10, 31), 10) == date(2020, 11, 13)
        # A month ending over a bank holiday weekend (August 2020): Monday 31st is one.
        assert timetable.deadline(date(2020, 8, 31), 1) == date(2020, 9, 1)

    def test_a_december_deadline_runs_over_christmas_and_into_the_new_year(self):
        # November 2020 + 20 working days: 1-24 Dec is 18, then 29, 30 Dec (25, 28 off).
        assert timetable.deadline(date(2020, 11, 30), 20) == date(2020, 12, 30)
        # December 2020 + 10: New Year's Day off, 4-15 January.
        assert timetable.deadline(date(2020, 12, 31), 10) == date(2021, 1, 15)
        # The quarter and the financial year ending March 2021 (Good Friday 2 April, Easter Monday 5 April).
        assert timetable.deadline(date(2021, 3, 31), 3) == date(2021, 4, 7)

    def test_working_days_between_is_signed(self):
        assert timetable.working_days_between(date(2020, 12, 24), date(2020, 12, 29)) == 1
        assert timetable.working_days_between(date(2020, 12, 29), date(2020, 12, 24)) == -1
        assert timetable.working_days_between(date(2021, 1, 15), date(2021, 1, 15)) == 0

    def test_a_reminder_three_working_days_before_goes_at_its_hour(self):
        assert timetable.moment(date(2021, 1, 6), -3, 9) == datetime(2020, 12, 31, 9)
        assert timetable.moment(date(2020, 12, 24), 2, 14) == datetime(2020, 12, 30, 14)


class DueTests(SimpleTestCase):
    def test_days_left_due_today_and_overdue(self):
        deadline = date(2021, 1, 15)
        assert timetable.due(date(2020, 12, 31), deadline).text == "due by Fri 15 Jan 2021, 10 working days left"
        assert timetable.due(deadline, deadline).text == "due today, Fri 15 Jan 2021"
        late = timetable.due(date(2021, 1, 18), deadline)
        assert (late.state, late.working_days) == ("overdue", 1)
        assert late.text == "overdue: was due Fri 15 Jan 2021, 1 working day ago"

    def test_overdue_on_a_weekend_after_a_friday_deadline_is_still_overdue(self):
        late = timetable.due(date(2021, 1, 16), date(2021, 1, 15))
        assert late.state == "overdue" and late.working_days == 1

    @time_machine.travel(datetime(2020, 12, 29, 10, 0), tick=False)
    def test_today_is_the_day_the_clock_says(self):
        from notifications.selectors import Timetable

        plan = Timetable({"monthly": 20}, {})
        assert plan.due("monthly", date(2020, 11, 30)).text == "due by Wed 30 Dec 2020, 1 working day left"
        christmas = Timetable({"monthly": 20}, {(date(2020, 11, 1), ""): date(2021, 1, 8)})
        assert christmas.due("monthly", date(2020, 11, 30)).text == "due by Fri 8 Jan 2021, 7 working days left"
