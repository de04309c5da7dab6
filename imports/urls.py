from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/progress/", views.progress, name="progress"),
]
