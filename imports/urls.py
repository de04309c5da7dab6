from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/mapping/", views.mapping_editor, name="mapping_editor"),
    path("mappings/", views.mapping_list, name="mapping_list"),
    path("mappings/<slug:slug>.toml", views.mapping_download, name="mapping_download"),
]
