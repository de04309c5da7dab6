"""Read-only pages over the framework and the risk register."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from measures.models import Measure, Outcome
from risks.models import Risk


@login_required
def home(request):
    context = {
        "measure_count": Measure.objects.performance().count(),
        "outcomes": Outcome.objects.all(),
        "risk_count": Risk.objects.count(),
    }
    return render(request, "reports/home.html", context)


# The outcomes-focused monitoring report (issue 5).

from django.contrib.staticfiles import finders  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from reports import outcomes  # noqa: E402


@login_required
def outcome_index(request):
    return render(request, "reports/outcomes/index.html", {"outcomes": Outcome.objects.all()})


@login_required
def outcome_report(request, slug):
    outcome = get_object_or_404(Outcome, slug=slug)
    try:
        as_at = outcomes.parse_as_at(request.GET.get("as_at", ""))
    except outcomes.AsAtError as error:
        context = {"outcome": outcome, "error": str(error), "as_at": request.GET.get("as_at", "")}
        return render(request, "reports/outcomes/bad_as_at.html", context, status=400)
    pdf = request.GET.get("format") == "pdf"
    context = {"report": outcomes.outcome_report(outcome, as_at), "pdf": pdf}
    if not pdf:
        return render(request, "reports/outcomes/report.html", context)
    html = render_to_string("reports/outcomes/report.html", context, request=request)
    response = HttpResponse(_pdf(html, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-{as_at:%Y-%m}.pdf"'
    return response


def _pdf(html, request):
    """The page as a PDF, drawn by WeasyPrint with our stylesheet read from disk. No base URL
    is given, so making the PDF never fetches anything over the network."""
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("build/app.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
