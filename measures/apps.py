from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Performance framework"

    def ready(self):
        from measures.roles import ensure_roles

        # Not limited to this app: the risks and reports permissions come after it.
        post_migrate.connect(ensure_roles, dispatch_uid="perfhub_ensure_roles")
