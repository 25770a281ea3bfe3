from django.contrib import admin

from .models import Interest, MatchmakingEvent, Meeting, Partner, Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "scheme", "capex_idr", "stage", "status")
    list_filter = ("status", "scheme", "stage")
    raw_id_fields = ("region", "created_by")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "nib", "verified_at")
    raw_id_fields = ("user", "verified_by")


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("partner", "proposal", "status", "created_at")
    raw_id_fields = ("partner", "proposal")


@admin.register(MatchmakingEvent)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "held_on", "place")
    raw_id_fields = ("created_by",)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("proposal", "partner", "held_on", "event")
    raw_id_fields = ("proposal", "partner", "event", "recorded_by")
