from django.urls import path

from measures import framework_views, views

urlpatterns = [
    path("my-measures/", views.my_measures, name="my_measures"),
    path("my-measures/preview/", views.preview, name="my_measures_preview"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    path("outstanding/", views.OutstandingView.as_view(), name="outstanding"),
    path("values/<int:pk>/history/", views.value_history, name="value_history"),
    path("values/<int:pk>/override/", views.override, name="value_override"),
    path("values/<int:pk>/withdraw/", views.withdraw, name="value_withdraw"),
    path("measures/<int:pk>/history/", views.measure_history, name="measure_history"),
    path("framework/", framework_views.index, name="framework"),
    path("framework/measures/new/", framework_views.create_measure, name="framework_create_measure"),
    path("framework/measures/<int:pk>/targets/", framework_views.targets, name="framework_targets"),
    path("framework/measures/<int:pk>/formula/", framework_views.formula, name="framework_formula"),
    path("framework/rules/broken/", framework_views.rules_broken, name="rules_broken"),
    path("framework/rules/new/", framework_views.validation_rule, name="framework_validation_rule_new"),
    path("framework/rules/<int:pk>/", framework_views.validation_rule, name="framework_validation_rule"),
    path("framework/copy-year/", framework_views.copy_year, name="framework_copy_year"),
    path("framework/bands/", framework_views.bands, name="framework_bands"),
    path("framework/measures/<int:pk>/rule/", framework_views.rule, name="framework_rule"),
]
