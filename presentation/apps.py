from django.apps import AppConfig


class PresentationConfig(AppConfig):
    name = "presentation"
    verbose_name = "Presentation: charts, SVG, exports and row rendering that every app draws with"
