from django.urls import path

from dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_index, name="index"),
    path("branches/<int:pk>/", views.branch_dossier, name="branch"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
