from django import forms

from imports import saved
from measures.forms import GovukForm
from measures.models import Value

MAX_UPLOAD_MB = 20


class ImportForm(GovukForm):
    """The import page's form, drawn with the design system's components (GovukForm gives each
    input its class and an aria-describedby naming the hint and error ids includes/field.html
    draws)."""

    file = forms.FileField(
        label="File", help_text="CSV, XLSX or ODS, up to 20 MB.",
        error_messages={"required": "Choose a file to import"},
    )
    mapping = forms.ChoiceField(
        label="Layout", required=False,
        help_text="Leave as it is to let PerfHub recognise the layout from the file's headers.",
    )
    sheet = forms.CharField(label="Sheet (XLSX or ODS)", required=False, max_length=100,
                            help_text="Leave blank for the first sheet.")
    status = forms.ChoiceField(
        label="Status of new figures",
        choices=[(Value.Status.DRAFT, "Draft (for approval)"), (Value.Status.PUBLISHED, "Published")],
    )
    reason = forms.CharField(
        label="Reason", required=False, max_length=300,
        help_text="Recorded with every figure the import revises; needed to revise published figures.",
    )
    keep_reported = forms.BooleanField(
        label="Keep the file's RAG and direction of travel where the rules rate a figure otherwise",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
        self.fields["sheet"].widget.attrs["class"] = "govuk-input govuk-input--width-20"
        self.fields["keep_reported"].widget.attrs["class"] = "govuk-checkboxes__input"
        self.fields["mapping"].choices = [("", "Recognise from the headers")] + saved.choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".ods", ".txt")):
            raise forms.ValidationError("The file must be a CSV, XLSX or ODS file")
        return upload


class MappingUploadForm(forms.Form):
    file = forms.FileField(label="Mapping file (TOML)", error_messages={"required": "Choose a TOML file"},
                           help_text="In the format of the files PerfHub ships, or one downloaded from this page.")
    name = forms.CharField(label="Name", required=False, max_length=100,
                           widget=forms.TextInput(attrs={"class": "govuk-input"}),
                           help_text="Leave blank to use the name in the file. An existing name saves a new version.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("A mapping file is at most 1 MB")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text (is it a TOML file?)") from None
