from django.urls import path

from dues import views

app_name = "dues"

urlpatterns = [
    path("branch/<int:pk>/", views.branch_dues, name="branch_dues"),
    path("branch/<int:pk>/payment/", views.payment_add, name="payment_add"),
    path("branch/<int:pk>/template/", views.bases_template, name="bases_template"),
    path("branch/<int:pk>/import/", views.bases_import, name="bases_import"),
    path(
        "branch/<int:pk>/import/confirm/", views.bases_import_confirm, name="bases_import_confirm"
    ),
    path("member/<int:pk>/", views.member_dues, name="member_dues"),
    path("member/<int:pk>/base/", views.base_set, name="base_set"),
    path("payment/<int:pk>/cancel/", views.payment_cancel, name="payment_cancel"),
    path("office/", views.office_dues, name="office_dues"),
    path("committee/<int:pk>/", views.committee_report, name="committee_report"),
    path("committee/<int:pk>/statement/", views.committee_statement, name="committee_statement"),
]
