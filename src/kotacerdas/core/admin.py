from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "region", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("kotacerdas", {"fields": ("role", "region", "organisation")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("kotacerdas", {"fields": ("role", "region")}))
    autocomplete_fields = ("region",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "read_only", "created", "last_used", "revoked")
    readonly_fields = ("prefix", "created", "last_used")
    exclude = ("digest",)
