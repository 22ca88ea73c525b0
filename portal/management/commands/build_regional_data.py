import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.regional_data import SMALL, RegionalData, RegionalSize, regional_steps


class Command(BaseCommand):
    help = (
        "Build synthetic data at the scale of a regional deployment (15 committees, 3,000 "
        "branches, 150,000 people, a year of notices) into an empty database, for benchmarks."
    )

    def add_arguments(self, parser):
        default = RegionalSize()
        parser.add_argument("--small", action="store_true", help="a tiny region, for tests")
        parser.add_argument("--committees", type=int, default=default.committees)
        parser.add_argument("--branches", type=int, default=default.branches)
        parser.add_argument("--big", type=int, default=default.big_committee_branches)
        parser.add_argument("--people", type=int, default=default.people)
        parser.add_argument("--items", type=int, default=default.items_per_committee)

    def handle(self, *args, **options):
        if options["small"]:
            size = SMALL
        else:
            size = RegionalSize(
                committees=options["committees"],
                branches=options["branches"],
                big_committee_branches=options["big"],
                people=options["people"],
                items_per_committee=options["items"],
            )
        if size.committees < 1 or size.big_committee_branches > size.branches - (
            size.committees - 1
        ):
            raise CommandError("every committee needs at least one branch")
        if size.items_per_committee % size.notices_per_committee:
            raise CommandError(f"--items must be a multiple of {size.notices_per_committee}")
        data = RegionalData(size=size)
        with transaction.atomic():
            for name, step in regional_steps():
                started = time.perf_counter()
                step(data, self.stdout.write)
                self.stdout.write(
                    f"build_regional_data: {name} ({time.perf_counter() - started:.1f} s)"
                )
