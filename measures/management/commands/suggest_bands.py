"""Suggest each measure's rating bands from the RAG the council itself published.

    python manage.py suggest_bands [--measure CODE] [--apply]

For each measure with published ratings (imported with a RAG column), the simplest rule that
reproduces them (measures.bands), the range of bands consistent with them, and the ratings no
single rule explains, each named with its figures. With --apply, each measure whose suggested
rule differs from its own is given it, and the background worker re-rates them in one job
(audited: the measure's history says so, and a published figure whose RAG changes gets a revision
in its own).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from measures import framework
from measures.models import Measure


class Command(BaseCommand):
    help = "Suggest rating bands from the council's published ratings (--apply to set them)."

    def add_arguments(self, parser):
        parser.add_argument("--measure", help="Only the measure with this code (or title).")
        parser.add_argument("--apply", action="store_true", help="Give each measure its suggested rule.")

    def handle(self, *args, measure=None, apply=False, **options):
        measures = Measure.objects.all()
        if measure:
            measures = measures.filter(Q(code=measure) | Q(title=measure))
            if not measures.exists():
                raise CommandError(f"No measure has the code or title {measure!r}.")
        council, suggestions = framework.suggest_bands(measures)
        if not suggestions:
            self.stdout.write("No measure has published ratings to learn from (import a file with a RAG column).")
            return
        if len(suggestions) > 1:
            self.stdout.write(
                f"Across {len(suggestions)} measures: {council.rule.describe()} explains "
                f"{council.agrees} of {len(council.ratings)} published ratings.\n")
        to_apply, as_now = [], 0
        for suggestion in suggestions:
            found, m = suggestion.found, suggestion.measure
            if not suggestion.changes and found.consistent and not measure:
                as_now += 1
                continue
            self.stdout.write(f"{m.code or '-'} {m.title}")
            self.stdout.write(f"  now: {suggestion.now_text}")
            self.stdout.write(f"  suggested: {suggestion.suggested_text}"
                              f"{'' if suggestion.changes else ' (as now)'}; reproduces "
                              f"{found.agrees} of {len(found.ratings)}")
            if suggestion.range_text:
                self.stdout.write(f"  consistent bands: {suggestion.range_text}")
            for _, text in found.contradictions:
                self.stdout.write(f"  contradiction: {text}")
            if apply and suggestion.changes:
                to_apply.append(suggestion)
        applied = framework.apply_suggestions(to_apply)
        if as_now:
            self.stdout.write(f"{as_now} other measures are rated as published by their own rule already.")
        agreed = sum(s.found.agrees for s in suggestions)
        total = sum(len(s.found.ratings) for s in suggestions)
        summary = f"\n{agreed} of {total} published ratings reproduced; {total - agreed} contradictions."
        if apply:
            summary += f" {applied} rules applied: the background worker re-rates their figures."
        self.stdout.write(summary)
