"""Views of the branches app, one module per subject (home pages by role, meetings, compliance,
development, relations, roster, security)."""
