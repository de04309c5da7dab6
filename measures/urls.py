from django.urls import path

from measures import views

urlpatterns = [
    path("my-measures/", views.my_measures, name="my_measures"),
    path("my-measures/preview/", views.preview, name="my_measures_preview"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("outstanding/", views.OutstandingView.as_view(), name="outstanding"),
    path("values/<int:pk>/history/", views.value_history, name="value_history"),
    path("values/<int:pk>/override/", views.override, name="value_override"),
    path("values/<int:pk>/withdraw/", views.withdraw, name="value_withdraw"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
]
