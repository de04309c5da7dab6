"""The BI team's pages of background jobs: one job's progress and result, and the recent ones."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jobs import services
from jobs.models import Job
from measures.roles import is_bi_team

RECENT = 50


def _bi_only(user):
    if not is_bi_team(user):
        raise PermissionDenied("Only the BI team sees the background jobs.")


@login_required
@require_GET
def job_list(request):
    _bi_only(request.user)
    jobs = Job.objects.defer("output", "params").select_related("created_by")[:RECENT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@login_required
@require_GET
def detail(request, pk):
    _bi_only(request.user)
    job = get_object_or_404(Job.objects.defer("output"), pk=pk)
    done, total = services.progress(job)
    return render(request, "jobs/job_detail.html", {
        "job": job, "done": done, "total": total,
        "percent": round(100 * done / total) if total else 0,
    })


@login_required
@require_GET
def output(request, pk):
    """The file a job made (a committee's papers as PDF)."""
    _bi_only(request.user)
    job = get_object_or_404(Job, pk=pk, status=Job.Status.DONE)
    if not job.output_name:
        raise Http404("This job made no file.")
    response = HttpResponse(bytes(job.output), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response
