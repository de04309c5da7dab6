from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/outcomes/", views.outcome_index, name="outcome_index"),
    path("reports/outcomes/<slug:slug>/", views.outcome_report, name="outcome_report"),

    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("reports/exception/", views.ExceptionReportView.as_view(), name="exception_report"),
    path("reports/spc-exceptions/", views.SPCExceptionView.as_view(), name="spc_exceptions"),
    path("reports/snapshots/", views.SnapshotListView.as_view(), name="snapshot_list"),
    path("reports/snapshots/publish/", views.PublishSnapshotView.as_view(), name="snapshot_publish"),
    path("reports/snapshots/<int:pk>/", views.SnapshotDetailView.as_view(), name="snapshot_detail"),
    path("measures/<int:pk>/", views.MeasureDetailView.as_view(), name="measure_detail"),
]
