"""Run one pass of deadline reminders in this process (for deployments driven by cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tasks.reminders.claiming import run_pass


class Command(BaseCommand):
    help = "Claim the due deadline reminders and send them now, without Celery."

    def handle(self, *args, **options) -> None:
        counts = run_pass()
        summary = ", ".join(f"{key}: {value}" for key, value in sorted(counts.items()))
        self.stdout.write(f"reminders: {summary or 'none due'}")
