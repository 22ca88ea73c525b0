"""The one home of the tests' data builders, one module per app: ``branches`` (the organisation
tree, people and logins), ``branch_life`` (members, meetings, development cases), ``tasks``
(notices, items, assignments, files), ``surveys`` (sheet rows and concerns), ``kind_fills``
(a filled form of every kind) and ``ratings`` (rounds and self-assessments)."""
