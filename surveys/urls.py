from django.urls import path

from surveys.views import concerns, imports, opinions, sheets

app_name = "surveys"

urlpatterns = [
    path("assignments/<int:pk>/excel/", sheets.sheet_export, name="sheet_export"),
    path("assignments/<int:pk>/template/", sheets.sheet_template, name="sheet_template"),
    path("assignments/<int:pk>/print/", sheets.sheet_print, name="sheet_print"),
    path(
        "assignments/<int:pk>/carry-forward/",
        sheets.sheet_carry_forward,
        name="sheet_carry_forward",
    ),
    path("assignments/<int:pk>/import/", imports.sheet_import, name="sheet_import"),
    path(
        "assignments/<int:pk>/import/confirm/",
        imports.sheet_import_confirm,
        name="sheet_import_confirm",
    ),
    path(
        "assignments/<int:pk>/committee-opinion/",
        opinions.brand_plan_opinion,
        name="brand_plan_opinion",
    ),
    path("concerns/", concerns.concern_list, name="concern_list"),
    path("concerns/<int:pk>/", concerns.concern_answer, name="concern_answer"),
]
