from django.contrib import admin

from .models import ProfileFact, Province, Region


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "latitude", "longitude", "coordinate_source")
    list_filter = ("kind", "province")
    search_fields = ("code", "name")


@admin.register(ProfileFact)
class ProfileFactAdmin(admin.ModelAdmin):
    list_display = ("region", "metric", "year", "value_number", "value_text", "source")
    list_filter = ("metric", "year")
    search_fields = ("region__name", "region__code")
    autocomplete_fields = ("region",)
