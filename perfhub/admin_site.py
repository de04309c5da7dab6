"""Django's admin site, with a "view on site" shortcut that shows nobody what the admin hides."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path


class AdminSite(admin.AdminSite):
    def get_urls(self):
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        view_on_site = path("r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site),
                            name="view_on_site")
        return [view_on_site, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """/admin/r/, for an object the person may see in the admin only: Django's own redirects
        for any object that exists, so a 302 rather than a 404 told a scrutiny member which draft
        values exist. What they may see is the model admin's own rule (its queryset, its
        get_object and its view permission); anything else is a 404, as for no object at all."""
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self.get_model_admin(model) if self.is_registered(model) else None
        obj = model_admin.get_object(request, str(object_id)) if model_admin is not None else None
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
