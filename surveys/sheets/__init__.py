"""The attachment forms of a work notice, called *sheets* everywhere in the code: one module
per sheet (its kind and exporter) on the shared base in ``base.py``; their pages are
``surveys.views.sheets``, their templates ``templates/surveys/sheet_*.html`` and their URLs
``/sheets/…``."""
