"""/public/: the pages residents may read signed out (reports/public.py)."""

from django.urls import path

from reports import public

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("measures/<int:pk>/", public.measure, name="measure"),
    path("snapshots/<int:pk>/", public.snapshot, name="snapshot"),
]
