#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Imported once the settings module is chosen, as Django's own manage.py does.
    from django.core.management import execute_from_command_line

    from portal.env import exit_if_misconfigured

    exit_if_misconfigured()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
