from django.urls import path

from branches import views

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office_overview, name="office_overview"),
    path("liaison/", views.liaison_branch_list, name="liaison_branches"),
    path("region/", views.region_tree, name="region_tree"),
    path("org/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("me/", views.my_profile, name="my_profile"),
]
