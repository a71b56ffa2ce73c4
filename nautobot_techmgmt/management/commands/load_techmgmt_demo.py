"""`nautobot-server load_techmgmt_demo`: load the Meridian Freight demo estate."""

import time

from django.core.management.base import BaseCommand

from nautobot_techmgmt.demo import load_demo


class Command(BaseCommand):
    """Create or update the demo estate: inventory, people, technologies, custodians, suppliers and change history."""

    help = (
        "Load a small demo estate (Meridian Freight) with core inventory and technical-management data that "
        "shows every kind of knowledge gap. Safe to run again: existing records are updated, none duplicated."
    )

    def handle(self, *args, **options):
        """Load the demo in one transaction and print what was created, updated, left unchanged and deleted."""
        started = time.monotonic()
        loader = load_demo()
        for line in loader.summary():
            self.stdout.write(line)
        elapsed = time.monotonic() - started
        if loader.changed:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data already up to date; nothing changed ({elapsed:.1f} s)."))
