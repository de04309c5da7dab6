"""The import page's controls are the design system's (issue 18, finding 25): each input has its
GOV.UK class, the checkbox is the GOV.UK one (drawn once, not beside a browser default), and
every aria-describedby names ids the page has."""

import re

from django.urls import reverse


def test_the_import_page_controls_are_govuk_components_with_real_described_by_ids(client, bi_user):
    client.force_login(bi_user)
    for response in (client.get(reverse("imports:upload")),
                     client.post(reverse("imports:upload"), {"mapping": "", "status": "draft"})):
        html = response.content.decode()
        start = html.index("<form method=\"post\" enctype=\"multipart/form-data\"")
        form = html[start:html.index("</form>", start)]
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        described = [name for names in re.findall(r'aria-describedby="([^"]+)"', form) for name in names.split()]
        assert described and set(described) <= ids, set(described) - ids
        assert re.search(r'<input type="file"[^>]*class="govuk-file-upload', form)
        assert re.search(r'<select[^>]*class="govuk-select', form)
        assert re.search(r'<input type="text" name="sheet"[^>]*class="govuk-input', form)
        checkbox = re.search(r'<input type="checkbox"[^>]*>', form)[0]
        assert 'class="govuk-checkboxes__input"' in checkbox
