"""The mapping editor: a form that shows a file's headers beside PerfHub's fields and writes a
mapping in the shipped files' format (imports/mappings/*.toml).

`EditorForm(headers, data)` starts from a mapping's tables (`data`, as TOML reads them; empty
for a new mapping) and `form.mapping_data()` gives the tables back with the officer's choices.
The editor says whatever a mapping file can say (columns, fixed values, rewrites, derive rules,
per-measure values, words, missing-figure markers, month label rules, skip rules, ...), so a
mapping built from scratch in the browser imports a file as its shipped TOML does; a table it
still does not show (a risk register's `code_prefix` on a figures mapping, say) is kept as it was.
"""

import difflib
import re

from django import forms

from imports import mapping as mappings
from measures import periods

FIELD_LABELS = {
    "code": "Code", "title": "Measure (title)", "definition": "Definition", "service": "Service",
    "committees": "Committees", "outcome": "Outcome", "unit": "Unit", "unit_label": "Unit label",
    "frequency": "Frequency", "year_basis": "Year basis", "polarity": "Polarity",
    "decimal_places": "Decimal places", "rating_rule": "Rating rule", "tolerance": "Tolerance (%)",
    "floor": "Floor", "period": "Period", "value": "Figure", "target": "Target", "rag": "RAG",
    "dot": "Direction of travel", "previous": "Previous figure", "last_year": "Last year's figure",
    "commentary": "Commentary", "actions": "Actions", "provisional": "Provisional", "caveat": "Caveat",
    "no_data_reason": "No data reason", "arrears": "Months in arrears",
}
WORDS = {  # the words tables the editor shows: {field in [words.*]: what the field is}
    "rag": "RAG", "direction": "direction of travel", "unit": "unit", "frequency": "frequency",
    "polarity": "polarity",
}
MONTH_LABEL_CHOICES = [
    (periods.LAST, "Its last month (Sep 2024 is Jul-Sep 2024)"),
    (periods.FIRST, "Its first month (Jul 2024 is Jul-Sep 2024)"),
    (periods.WITHIN, "Any month of it (Aug 2024 is Jul-Sep 2024)"),
]
MONTH_LABEL_FREQUENCIES = {"default": "any longer period", "quarterly": "a quarter", "termly": "a school term", "annual": "a year",
                           "rolling_12": "rolling 12 months"}
INPUT = "govuk-input"
TEXTAREA = {"class": "govuk-textarea", "rows": 3}
NUMBER_FIELDS = ("value", "target", "floor", "previous", "last_year", "baseline", "annual_exposure",
                 "lifetime_exposure")
EDITED = ("name", "columns", "fixed", "words", "month_labels", "headers", "optional", "derive", "measures",
          "rewrite", "previous_months", "cells", "rows", "code_prefix")


def header_row(rows):
    """The index of the row most likely to be the header row: the first of the first 30 rows
    with the most filled cells."""
    top = rows[:30] or [[]]
    return max(range(len(top)), key=lambda i: (sum(bool(str(c).strip()) for c in top[i]), -i))


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def _words_text(table):
    return "\n".join(f"{word} = {value}" for word, value in table.items())


def _list_text(items):
    return ", ".join(items)


def _list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


def _derive_text(rule):
    return f"{rule['field']} = {rule['value']} when {rule['when']} matches {rule['matches']}"


def _measures_text(table):
    return "\n".join(f"{key}: " + "; ".join(f"{name} = {value}" for name, value in values.items())
                      for key, values in table.items())


def _other_words_text(words):
    return "\n".join(f"{name}: {word} = {value}" for name, table in words.items() if name not in WORDS
                      for word, value in table.items())


class EditorForm(forms.Form):
    name = forms.CharField(label="Name of the mapping", max_length=100,
                           widget=forms.TextInput(attrs={"class": INPUT}),
                           help_text="Saved under this name; saving again under it makes a new version.")
    missing = forms.CharField(
        label="Words the file writes for no figure", required=False,
        widget=forms.TextInput(attrs={"class": INPUT}),
        help_text="Separated by commas, such as n/a, ND, -. A blank cell always counts.",
    )
    zero_is_missing = forms.MultipleChoiceField(
        label="Where the file writes 0 for a missing figure", required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    money_scale = forms.BooleanField(
        label="Read money written with k or m (£1.2m is 1,200,000)", required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    money_unit = forms.CharField(
        label="The file counts money in", required=False, max_length=10,
        widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-5"}),
        help_text="k or m where every figure is in £k or £m; blank for pounds.",
    )
    no_text = forms.CharField(
        label="Texts that mean no commentary", required=False,
        widget=forms.TextInput(attrs={"class": INPUT}), help_text="Separated by commas, such as No notes.",
    )
    skip = forms.CharField(
        label="Rows to skip", required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        help_text="One rule a line: a field, a colon, and a regular expression its cell matches, "
                  "such as code: ^TOTAL$",
    )

    continuation = forms.ChoiceField(
        label="A row whose cell for this field is blank continues the row above", required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        help_text="For a table broken over pages; leave as None otherwise.",
    )
    headers = forms.CharField(
        label="Headers that recognise the file's layout", required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="One a line: a file whose header row has all of them is read with this mapping. "
                  "Blank: the columns chosen above.",
    )
    optional = forms.MultipleChoiceField(
        label="Columns a file of this layout may leave out", required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )
    previous_months = forms.IntegerField(
        label="Months between a row's period and its previous figure", required=False, min_value=0,
        max_value=36, widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-3", "inputmode": "numeric"}),
        help_text="Blank: the period before. 3 where a quarterly report gives a rolling 12 months "
                  "figure and its figure a quarter earlier.",
    )
    derive = forms.CharField(
        label="Values set by a rule", required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="One rule a line: a field = its value when another field matches a regular "
                  "expression, such as frequency = rolling_12 when title matches (?i)rolling 12",
    )
    measures = forms.CharField(
        label="Values for one measure", required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="One measure a line: its code (or title), a colon, then field = value separated "
                  "by semicolons, such as HR11: polarity = lower; green_band = 5",
    )
    other_words = forms.CharField(
        label="The file's words for other fields", required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="One a line: the field, a colon, the file's word = PerfHub's, such as year_basis: FY = financial_year.",
    )
    code_prefix = forms.CharField(
        label="Number new risks after", required=False, max_length=20,
        widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-10"}),
        help_text="A risk register without codes: new risks are numbered after this prefix.",
    )

    rewrite = forms.CharField(
        label="Rewrite cells before they are read", required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        help_text=r"One rule a line: a field, a colon, a regular expression, => and what it becomes, "
                  r"such as period: ^(\d{4}/\d{2}) (Q\d).*$ => \2 \1 (reads 2014/15 Q1 (Apr-Jun) as Q1 2014/15)",
    )

    def __init__(self, headers, data, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = [h for h in dict.fromkeys(str(h).strip() for h in headers) if h]
        self.data_in = data
        # A risk register's mapping has the register's fields (kind = "risks", uploaded as TOML).
        self.perfhub_fields = mappings.RISK_FIELDS if data.get("kind") == "risks" else mappings.FIGURE_FIELDS
        columns, fixed = data.get("columns", {}), data.get("fixed", {})
        column_choices = [("", "Not in the file")] + [(h, h) for h in self.headers]
        guesses = {} if data.get("columns") else self._guess()
        self.field_rows = []
        for name in self.perfhub_fields:
            label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
            column = forms.ChoiceField(label=f"Column for {label}", choices=column_choices,
                                       required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
            column.initial = columns.get(name) if columns.get(name) in self.headers else guesses.get(name, "")
            if name in columns and columns[name] not in self.headers:
                column.choices = [*column_choices, (columns[name], f"{columns[name]} (not in this file)")]
                column.initial = columns[name]
            value = forms.CharField(label=f"Fixed value for {label}", required=False, max_length=200,
                                    widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-10"}))
            value.initial = fixed.get(name, "")
            self.fields[f"column_{name}"], self.fields[f"fixed_{name}"] = column, value
            self.field_rows.append((label, f"column_{name}", f"fixed_{name}"))
        words = data.get("words", {})
        self.word_fields = []
        for name, what in WORDS.items():
            self.fields[f"words_{name}"] = forms.CharField(
                label=f"The file's words for {what}", required=False,
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
                help_text="One a line: the file's word = PerfHub's, such as lg = Green.",
                initial=_words_text(words.get(name, {})),
            )
            self.word_fields.append(f"words_{name}")
        labels = data.get("month_labels", {})
        self.month_fields = []
        for frequency, what in MONTH_LABEL_FREQUENCIES.items():
            default = frequency == "default"
            self.fields[f"month_{frequency}"] = forms.ChoiceField(
                label=(f"A month label for {what} names" if default else
                       f"A month label for {what} ({frequency.replace('_', ' ')} measures) names"),
                choices=MONTH_LABEL_CHOICES if default else [("", "As for any longer period"), *MONTH_LABEL_CHOICES],
                initial=labels.get(frequency, periods.LAST if default else ""), required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.month_fields.append(f"month_{frequency}")
        cells = data.get("cells", {})
        field_choices = [(name, FIELD_LABELS.get(name, name.replace("_", " ").capitalize()))
                         for name in self.perfhub_fields]
        self.fields["continuation"].choices = [("", "None"), *field_choices]
        self.fields["continuation"].initial = data.get("rows", {}).get("continuation", "")
        self.fields["optional"].choices = field_choices
        zero = [n for n in (*NUMBER_FIELDS, *cells.get("zero_is_missing", ())) if n in self.perfhub_fields]
        self.fields["zero_is_missing"].choices = [(n, label) for n, label in field_choices if n in zero]
        self.fields["optional"].initial = list(data.get("optional", ()))
        self.fields["headers"].initial = "\n".join(data.get("headers", ()))
        self.fields["previous_months"].initial = data.get("previous_months") or None
        self.fields["derive"].initial = "\n".join(_derive_text(rule) for rule in data.get("derive", []))
        self.fields["measures"].initial = _measures_text(data.get("measures", {}))
        self.fields["other_words"].initial = _other_words_text(data.get("words", {}))
        self.fields["code_prefix"].initial = data.get("code_prefix", "")
        self.fields["money_scale"].initial = bool(cells.get("money_scale"))
        self.fields["money_unit"].initial = cells.get("money_unit", "")
        self.fields["name"].initial = data.get("name", "")
        self.fields["missing"].initial = _list_text([m for m in cells.get("missing", mappings.Mapping.missing) if m])
        self.fields["zero_is_missing"].initial = list(cells.get("zero_is_missing", ()))
        self.fields["no_text"].initial = _list_text([t for t in cells.get("no_text", ()) if t])
        self.fields["rewrite"].initial = "\n".join(
            f"{rule['field']}: {rule['pattern']} => {rule.get('replace', '')}" for rule in data.get("rewrite", []))
        self.fields["skip"].initial = "\n".join(
            f"{rule['field']}: {rule['matches']}" for rule in data.get("rows", {}).get("skip", []))

    @property
    def bound_rows(self):
        """(label, column field, fixed value field) for each of PerfHub's fields, bound."""
        return [(label, self[column], self[fixed]) for label, column, fixed in self.field_rows]

    @property
    def bound_words(self):
        return [self[name] for name in self.word_fields]

    @property
    def bound_months(self):
        return [self[name] for name in self.month_fields]

    def _guess(self):
        """A new mapping's first guess: a header that reads as a field's name or label."""
        found = {}
        by_norm = {h.casefold().replace("_", " "): h for h in self.headers}
        for name, label in FIELD_LABELS.items():
            for wanted in (name.replace("_", " "), label.casefold()):
                match = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.9)
                if match and by_norm[match[0]] not in found.values():
                    found[name] = by_norm[match[0]]
                    break
        return found

    def clean_skip(self):
        rules = []
        for line in _lines(self.cleaned_data["skip"]):
            field, _, pattern = line.partition(":")
            if not pattern.strip() or field.strip() not in self.perfhub_fields:
                raise forms.ValidationError(
                    f"'{line}' is not a rule: write a field ({', '.join(self.perfhub_fields[:4])}, ...), "
                    "a colon and a regular expression")
            rules.append({"field": field.strip(), "matches": pattern.strip()})
        return rules

    def clean_rewrite(self):
        rules = []
        for line in _lines(self.cleaned_data["rewrite"]):
            field, _, rest = line.partition(":")
            pattern, arrow, replace = rest.rpartition("=>")
            if not arrow or not pattern.strip() or field.strip() not in self.perfhub_fields:
                raise forms.ValidationError(
                    f"'{line}' is not a rule: write a field, a colon, a regular expression, => and what it becomes")
            rules.append({"field": field.strip(), "pattern": pattern.strip(), "replace": replace.strip()})
        return rules

    def _field(self, name, line, how):
        name = name.strip()
        if name not in self.perfhub_fields:
            raise forms.ValidationError(f"'{line}': PerfHub has no field '{name}'; {how}")
        return name

    def clean_derive(self):
        rules = []
        how = "write a field = its value when another field matches a regular expression"
        for line in _lines(self.cleaned_data["derive"]):
            match = re.fullmatch(r"(\w+)\s*=\s*(.*?)\s+when\s+(\w+)\s+matches\s+(.+)", line)
            if not match:
                raise forms.ValidationError(f"'{line}' is not a rule: {how}")
            field, value, when, pattern = match.groups()
            rules.append({"field": self._field(field, line, how), "when": self._field(when, line, how),
                          "matches": pattern, "value": value})
        return rules

    def clean_measures(self):
        table = {}
        how = "write a code, a colon, and field = value separated by semicolons"
        for line in _lines(self.cleaned_data["measures"]):
            key = line.partition("=")[0].rpartition(":")[0]  # a title may have a colon in it
            rest = line[len(key) + 1:]
            values = {}
            for pair in rest.split(";"):
                name, equals, value = pair.partition("=")
                if not equals or not key.strip():
                    raise forms.ValidationError(f"'{line}' is not a measure's values: {how}")
                values[self._field(name, line, how)] = value.strip()
            table[key.strip()] = values
        return table

    def clean_other_words(self):
        words = {}
        how = "write a field, a colon, then the file's word = PerfHub's"
        for line in _lines(self.cleaned_data["other_words"]):
            name, colon, rest = line.partition(":")
            word, equals, value = rest.rpartition("=")
            if not colon or not equals or not value.strip():
                raise forms.ValidationError(f"'{line}' is not a word and its meaning: {how}")
            words.setdefault(self._field(name, line, how), {})[word.strip()] = value.strip()
        return words

    def clean(self):
        data = super().clean()
        for name in self.word_fields:
            table = {}
            for line in _lines(data.get(name, "")):
                word, sep, value = line.rpartition("=")
                if not sep or not value.strip():
                    self.add_error(name, f"'{line}' is not a word and its meaning: write them as lg = Green")
                    break
                table[word.strip()] = value.strip()
            data[name] = table
        if not any(data.get(f"column_{name}") for name in self.perfhub_fields):
            self.add_error(None, "Choose the column of at least one field")
        return data

    def mapping_data(self):
        """The mapping's tables with the form's choices (call after is_valid)."""
        data = {key: value for key, value in self.data_in.items() if key not in EDITED}
        d = self.cleaned_data
        data["name"] = d["name"]
        headers = _lines(d["headers"])
        if headers:
            data["headers"] = headers
        if d["optional"]:
            data["optional"] = d["optional"]
        if d["previous_months"]:
            data["previous_months"] = d["previous_months"]
        if d["code_prefix"].strip():
            data["code_prefix"] = d["code_prefix"].strip()
        data["columns"] = {n: d[f"column_{n}"] for n in self.perfhub_fields if d.get(f"column_{n}")}
        fixed = {n: d[f"fixed_{n}"].strip() for n in self.perfhub_fields if d.get(f"fixed_{n}", "").strip()}
        words = {**d["other_words"], **{name: d[f"words_{name}"] for name in WORDS}}
        tables = {
            "fixed": fixed, "rewrite": d["rewrite"], "derive": d["derive"], "measures": d["measures"],
            "words": {name: table for name, table in words.items() if table},
            "month_labels": {f: d[f"month_{f}"] for f in MONTH_LABEL_FREQUENCIES
                             if d[f"month_{f}"] and not (f == "default" and d[f"month_{f}"] == periods.LAST)},
            "cells": {
                "missing": ["", *_list(d["missing"])], "zero_is_missing": d["zero_is_missing"],
                "no_text": ["", *_list(d["no_text"])] if d["no_text"].strip() else [],
                "money_scale": d["money_scale"], "money_unit": d["money_unit"].strip(),
            },
            "rows": {"skip": d["skip"], "continuation": d["continuation"]},
        }
        for key, table in tables.items():
            if isinstance(table, dict):
                table = {k: v for k, v in table.items() if v not in ([], "", None, False)}
            if table:
                data[key] = table
        return data
