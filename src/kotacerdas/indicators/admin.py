from django.contrib import admin

from .models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "level", "pillar")
    list_filter = ("pillar", "level", "direction")
    search_fields = ("code", "name")
