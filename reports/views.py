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
