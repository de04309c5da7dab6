"""The worker's tasks (huey, run by `python manage.py run_huey`). Each is thin: it calls a
service. Periodic ones run in the worker's own scheduler (times in UTC; see docs/operations.md)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from jobs import services


@db_task()
def run_job(job_id):
    services.run(job_id)


@on_startup()
def recover_lost_jobs():
    services.recover()


@db_periodic_task(crontab(minute="*/5"))
def recover_lost_jobs_every_five_minutes():
    services.recover()


@db_periodic_task(crontab(minute="*/15"), retries=2, retry_delay=60)
def send_reminders():
    from notifications import reminders

    reminders.send_due(timezone.now())


@db_periodic_task(crontab(minute="*"), retries=3, retry_delay=30)
def deliver_notifications():
    from notifications import delivery

    delivery.deliver_pending(timezone.now())


@db_periodic_task(crontab(hour="7", minute="0"), retries=3, retry_delay=300)
def send_digests():
    from notifications import delivery

    delivery.send_digests(timezone.now())
