"""Views of the tasks app, one module per subject (office compose, branch to-do, review, files)."""
