from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/outcomes/", views.outcome_index, name="outcome-index"),
    path("reports/outcomes/<slug:slug>/", views.outcome_report, name="outcome-report"),
]
