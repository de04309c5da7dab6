"""The collection timetable the BI team sets (a deadline per frequency, exceptions per period,
reminder and escalation rules, each service's head), and the messages PerfHub sends: each
person's notifications, their choice of e-mail, and the record of every e-mail sent."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from measures.models import Measure, Service

FREQUENCIES = [(value, label) for value, label in Measure.Frequency.choices if value != "irregular"]


class Deadline(models.Model):
    """How many working days after its period ends a figure of a frequency is due."""

    frequency = models.CharField(max_length=10, choices=FREQUENCIES, unique=True)
    working_days = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(60)],
        help_text="Working days (not weekends or England and Wales bank holidays) after the period ends.",
    )

    class Meta:
        ordering = ["frequency"]

    def __str__(self):
        return f"{self.get_frequency_display()}: {self.working_days} working days after the period ends"


class DeadlineException(models.Model):
    """A deadline set by hand for the figures due in one month (Christmas, say)."""

    month = models.DateField(help_text="Any day of the month whose figures it is for; kept as its first day.")
    frequency = models.CharField(max_length=10, choices=FREQUENCIES, blank=True,
                                 help_text="Blank: every frequency due that month.")
    deadline = models.DateField()
    reason = models.CharField(max_length=200, help_text="e.g. Christmas")

    class Meta:
        ordering = ["-month", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["month", "frequency"], name="deadline_exception_unique"),
        ]

    def __str__(self):
        return f"{self.month:%b-%y} {self.frequency or 'all'}: {self.deadline} ({self.reason})"

    def save(self, *args, **kwargs):
        self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


class ReminderRule(models.Model):
    """When reminders go: `offset` working days from the deadline (negative before it, 0 on
    it), at `hour`; those after it go to the head of the service (escalation)."""

    name = models.CharField(max_length=100, help_text="e.g. Three days before")
    offset = models.SmallIntegerField(
        validators=[MinValueValidator(-30), MaxValueValidator(30)],
        help_text="Working days from the deadline: -3 before it, 0 on the day, 2 after it (escalation).",
    )
    hour = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(23)])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["offset", "hour"]

    def __str__(self):
        return self.name

    @property
    def escalates(self):
        return self.offset > 0


class HeadOfService(models.Model):
    """The head of a service, to whom reminders escalate after the deadline."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="head")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="headed_services")

    class Meta:
        ordering = ["service"]
        verbose_name_plural = "heads of service"

    def __str__(self):
        return f"{self.person} heads {self.service}"


class ReminderSent(models.Model):
    """That a rule's reminder about one figure went to one person: never twice."""

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "measure", "month", "recipient"], name="reminder_once"),
        ]


class Preference(models.Model):
    """How a person wants their notifications by e-mail."""

    class Email(models.TextChoices):
        EACH = "each", "An e-mail for each"
        DIGEST = "digest", "One daily digest"
        NONE = "none", "No e-mails: only the list in PerfHub"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.EACH)

    def __str__(self):
        return f"{self.user}: {self.get_email_display()}"


class Notification(models.Model):
    """Something a person should know: shown in their list until read, and e-mailed."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        ESCALATION = "escalation", "Escalation"
        RETURNED = "returned", "Figure returned"
        PUBLISHED = "published", "Figures published"
        SUBMITTED = "submitted", "Figures submitted"
        REPORT = "report", "Committee report published"
        JOB_FAILED = "job_failed", "Background job failed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="The page it is about, from the site's root.")
    key = models.CharField(max_length=200, blank=True, help_text="The same key is never notified twice to one person.")
    digest = models.BooleanField(default=False, help_text="E-mailed in the daily digest, not on its own.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_once"),
        ]
        indexes = [models.Index(fields=["emailed_at"], name="notification_to_email")]

    def __str__(self):
        return f"{self.subject} (to {self.recipient})"


class SentEmail(models.Model):
    """Every e-mail PerfHub sent: to whom, what, and when (shown to the BI team)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    address = models.EmailField()
    kind = models.CharField(max_length=20)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.subject} to {self.address}"
