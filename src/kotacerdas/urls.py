"""URL map of kotacerdas."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kotacerdas.api import api
from kotacerdas.core import views as core
from kotacerdas.core.admin_site import restrict_admin_site
from kotacerdas.devices.urls import page_patterns as device_pages

restrict_admin_site(admin.site)

urlpatterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("metrics", core.metrics_view, name="metrics"),
    path("geo/indonesia.geojson", core.indonesia_outline, name="indonesia-outline"),
    path("geo/regions.geojson", core.region_points, name="region-points"),
    path("regions/", include("kotacerdas.regions.urls")),
    path("pillars/", include("kotacerdas.pillars.urls")),
    path("program/", include("kotacerdas.program.urls")),
    path("assessment/", include("kotacerdas.assessment.urls")),
    path("plans/", include("kotacerdas.masterplan.urls")),
    path("notifications/", core.notifications, name="notifications"),
    path("audit/", core.audit_log, name="audit-log"),
    path("account/tokens/", core.token_list, name="tokens"),
    path("account/tokens/new/", core.token_create, name="token-create"),
    path("account/tokens/<int:pk>/revoke/", core.token_revoke, name="token-revoke"),
    path("account/login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password-reset/",
        auth_views.PasswordResetView.as_view(template_name="core/password_reset.html"),
        name="password_reset",
    ),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="core/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", core.choose_language, name="language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("ngsi-ld/v1/", include("kotacerdas.context.urls")),
    path("iot/", include("kotacerdas.devices.urls")),
    path("devices/", include((device_pages, "devices"))),
    path("operations/", include("kotacerdas.alerts.urls")),
    path("dashboard/", include("kotacerdas.dashboard.urls")),
    path("monitoring/", include("kotacerdas.monitoring.urls")),
    path("opendata/", include("kotacerdas.opendata.urls")),
    path("indicators/", include("kotacerdas.indicators.urls")),
    path("matchmaking/", include("kotacerdas.matchmaking.urls")),
    path("clusters/", include("kotacerdas.harmonisation.urls")),
]

handler404 = "kotacerdas.core.views.page_not_found"
handler403 = "kotacerdas.core.views.permission_denied"
handler500 = "kotacerdas.core.views.server_error"
