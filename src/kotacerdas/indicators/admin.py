from django.contrib import admin

from .models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "level", "pillar")
    list_filter = ("pillar", "level", "direction")
    search_fields = ("code", "name")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "region", "year", "value", "method", "source")
    list_filter = ("method", "year")
    search_fields = ("indicator__code", "region__code", "region__name")
    raw_id_fields = ("indicator", "region", "entered_by")
