from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.RiskListView.as_view(), name="list"),
    path("<str:code>/", views.risk_detail, name="detail"),
    path("<str:code>/review/", views.record_review, name="review"),
]
