from django.urls import path

from ratings.views import indicators

app_name = "ratings"

urlpatterns = [
    path("indicators/", indicators.indicator_sets, name="indicator_sets"),
    path("indicators/<int:pk>/", indicators.indicator_set_edit, name="indicator_set_edit"),
    path("indicators/<int:pk>/copy/", indicators.indicator_set_copy, name="indicator_set_copy"),
]
