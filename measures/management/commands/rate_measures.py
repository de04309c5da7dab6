"""Re-rate every measure's values against the targets in force and its rating rule.

Run it once after upgrading to targets that carry through time, so values stored as "No data"
for want of a target set for exactly their period are rated; it is safe to run at any time.
"""

from django.core.management.base import BaseCommand

from measures.models import Measure, Value
from measures.services import rate_measure, rerate


class Command(BaseCommand):
    help = "Re-rate every measure's values against the targets in force (safe to run at any time)."

    def add_arguments(self, parser):
        parser.add_argument("--in-worker", action="store_true",
                            help="Queue the work for the background worker and return at once.")

    def handle(self, *args, in_worker=False, **options):
        if in_worker:
            job = rerate(Measure.objects.values_list("pk", flat=True), "rate_measures run by hand")
            self.stdout.write(f"Queued as job {job.pk}: see /jobs/{job.pk}/.")
            return
        before = dict(Value.objects.values_list("pk", "rag"))
        measures = list(Measure.objects.all())
        for measure in measures:
            rate_measure(measure)
        changed = sum(1 for pk, rag in Value.objects.values_list("pk", "rag") if before.get(pk) != rag)
        self.stdout.write(f"Rated {len(measures)} measures; {changed} values changed their RAG.")
