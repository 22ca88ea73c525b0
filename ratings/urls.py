from django.urls import path

from ratings.views import indicators, rate, results, rounds

app_name = "ratings"

urlpatterns = [
    path("indicators/", indicators.indicator_sets, name="indicator_sets"),
    path("indicators/<int:pk>/", indicators.indicator_set_edit, name="indicator_set_edit"),
    path("indicators/<int:pk>/copy/", indicators.indicator_set_copy, name="indicator_set_copy"),
    path("rounds/", rounds.rounds, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/publish/", rounds.round_publish, name="round_publish"),
    path("rounds/<int:pk>/branches/<int:branch_pk>/", rounds.decide, name="decide"),
    path("rate/", rate.rate_list, name="rate_list"),
    path("rate/<int:round_pk>/<int:branch_pk>/", rate.rate_branch, name="rate_branch"),
    path("results/", results.results, name="results"),
    path("goals/<int:pk>/", results.goal_edit, name="goal_edit"),
    path("results/<int:pk>/export/", results.results_export, name="results_export"),
]
