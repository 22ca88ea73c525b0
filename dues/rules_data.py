"""The default dues rules (DOMAIN.md §7) as plain data.

Rates are percentages of the monthly base; a bracket covers the bases up to and including its
``upper`` (None: no upper limit). Students and members without income pay a fixed amount.
Migration 0002 keeps its own frozen copy (a migration must not change when this module does);
a test checks that the two still agree.
"""

#: When the default schedule applies from (the 2008 regulation on Party dues).
VALID_FROM = "2008-04-01"
#: The month in which the branches review every member's base.
REVIEW_MONTH = 1

# (category, upper limit of the base or None, rate in %, fixed monthly amount or None)
BRACKETS = [
    ("in_service", "3000", "0.5", None),
    ("in_service", "5000", "1", None),
    ("in_service", "10000", "1.5", None),
    ("in_service", None, "2", None),
    ("retired", "5000", "0.5", None),
    ("retired", None, "1", None),
    ("student", None, None, "0.20"),
    ("no_income", None, None, "0.20"),
    ("exempt", None, None, "0"),
]
