"""Reload the public holidays and exchanged working days from the published calendar (after
upgrading ``chinesecalendar`` for a new year); the office's own rows are kept."""

from django.core.management.base import BaseCommand

from branches.services.holidays import load_published_calendar, published_years


class Command(BaseCommand):
    help = "Load public holidays and exchanged working days from the chinesecalendar package."

    def handle(self, *args, **options):
        count = load_published_calendar()
        first, last = published_years()
        self.stdout.write(f"{count} day(s) loaded or refreshed; the package covers {first}-{last}.")
