from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

# What the reports print and filter by besides the figures: a change to one retires the cached
# pages (measures.publication), through every door (admin, framework pages, shell).
NAMED_IN_REPORTS = ("Committee", "Service", "Outcome")


def _names_changed(sender, **kwargs):
    from measures.publication import published_changed

    published_changed()


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Performance framework"

    def ready(self):
        from measures.roles import ensure_roles

        # Not limited to this app: the risks and reports permissions come after it.
        post_migrate.connect(ensure_roles, dispatch_uid="perfhub_ensure_roles")
        for model in NAMED_IN_REPORTS:
            for signal in (post_save, post_delete):
                signal.connect(_names_changed, sender=f"measures.{model}",
                               dispatch_uid=f"perfhub_{model}_{signal is post_save}_retires_pages")
