from django.contrib import admin

from .models import Cluster, JointInitiative


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    filter_horizontal = ("members",)
    raw_id_fields = ("created_by",)


@admin.register(JointInitiative)
class JointInitiativeAdmin(admin.ModelAdmin):
    list_display = ("title", "cluster", "lead_region")
    raw_id_fields = ("initiatives", "created_by", "lead_region")
