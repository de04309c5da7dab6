"""The BI team sets the collection timetable here: deadlines, exceptions, reminder rules, heads."""

from django.contrib import admin

from notifications.models import Deadline, DeadlineException, HeadOfService, ReminderRule


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["frequency", "working_days"]


@admin.register(DeadlineException)
class DeadlineExceptionAdmin(admin.ModelAdmin):
    list_display = ["month", "frequency", "deadline", "reason"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "offset", "hour", "active"]


@admin.register(HeadOfService)
class HeadOfServiceAdmin(admin.ModelAdmin):
    list_display = ["service", "person"]
    autocomplete_fields = []
