"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfhub.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, their modules) lives as long as the process: frozen,
# it is no longer walked by every full garbage collection, which cost a long report's request
# tens of milliseconds (docs/speed.md).
gc.freeze()
