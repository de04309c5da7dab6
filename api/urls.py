"""/api/v1/: the resources, the OpenAPI description and its browsable documentation."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # ?format=csv is the one way to ask for CSV
router.register("outcomes", views.OutcomeViewSet)
router.register("population-indicators", views.PopulationIndicatorViewSet)
router.register("services", views.ServiceViewSet)
router.register("committees", views.CommitteeViewSet)
router.register("measures", views.MeasureViewSet)
router.register("periods", views.PeriodViewSet)
router.register("targets", views.TargetViewSet)
router.register("values", views.ValueViewSet, basename="value")
router.register("comparators", views.ComparatorViewSet)
router.register("risks", views.RiskViewSet)
router.register("snapshots", views.SnapshotViewSet)

urlpatterns = [
    path("reports/exception/", views.ExceptionReportView.as_view(), name="exception_report"),
    path("reports/outcomes/<slug:slug>/", views.OutcomeReportView.as_view(), name="outcome_report"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
