"""Load the demo council (two real Dorset reports) and its three demo users."""

import os

from django.core.management.base import BaseCommand

from imports.demo import DEMO_USERS, create_demo_users, load
from measures.models import Measure, Value
from measures.synthetic import add_synthetic_history
from risks.models import Risk


class Command(BaseCommand):
    help = (
        "Load the demo council's measures, values and risks, and create the users bi, lead and "
        "member (password from DEMO_PASSWORD, default perfhub-demo). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--synthetic-history", action="store_true",
            help="Also add generated monthly history, labelled synthetic, for trying SPC charts.",
        )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "perfhub-demo")
        load()
        create_demo_users(password)
        if options["synthetic_history"]:
            self.synthetic_history()
        self.stdout.write(
            f"Demo council loaded: {Measure.objects.count()} measures, "
            f"{Value.objects.count()} values, {Risk.objects.count()} risks."
        )
        for username, role in DEMO_USERS:
            self.stdout.write(f"  log in as {username} ({role}) with password {password}")

    def synthetic_history(self):
        added = add_synthetic_history()
        self.stdout.write(f"Added {added} synthetic values (labelled synthetic on every page) for trying SPC.")
