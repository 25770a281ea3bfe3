from django.contrib import admin

from .models import Element, Pillar


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ("order", "key", "name_id", "name_en", "colour")
    inlines = [ElementInline]
