"""PerfHub's own import template as an XLSX workbook: the header row and one example row."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from imports import mapping

EXAMPLE = {
    "Code": "ASC01", "Measure": "Percentage of care needs assessments completed within 28 days",
    "Definition": "", "Service": "Adult Care", "Committees": "People and Health",
    "Outcome": "", "Unit": "%", "Unit label": "Percentage", "Frequency": "Monthly",
    "Year basis": "Financial", "Polarity": "Higher is better", "Decimal places": 1,
    "Rating rule": "floor", "Green band": 2, "Green band unit": "units", "Amber band": "",
    "Amber band unit": "", "Floor": 75, "Period": "Oct-20", "Value": 78.5,
    "Target": 85, "RAG": "Amber", "D.O.T.": "Improving", "Previous": 76.2, "Last year": 80.1,
    "Commentary": "Assessments picked up after the new triage rota started.",
    "Actions": "Recruit two assessors by December.", "Provisional": "No", "Caveat": "",
    "No data reason": "", "D.O.T. compares with": "Baseline", "Baseline period": "2019-20",
    "Baseline": 74.9, "Same band": 1, "Same band unit": "units",
    "Numerator": "", "Denominator": "", "Numerator label": "",
    "Denominator label": "", "Minimum": 0, "Maximum": 100, "Aggregation": "mean",
    "Why an unusual figure is right": "",
}


def headers():
    return list(mapping.load("perfhub").columns.values())


def workbook_bytes():
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([EXAMPLE.get(header, "") for header in headers()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
