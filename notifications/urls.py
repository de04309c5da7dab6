from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("sent/", views.sent, name="sent"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
