from django.contrib import admin

from risks.models import Risk


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "trend", "score", "owner", "review_date"]
    list_filter = ["level", "trend", "outcomes", "owner"]
    search_fields = ["code", "title", "description", "owner"]
    filter_horizontal = ["outcomes", "population_indicators"]
