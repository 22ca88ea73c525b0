from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import demo_steps


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name, step in demo_steps():
                self.stdout.write(f"seed_demo: {name}")
                step(self.stdout.write)
