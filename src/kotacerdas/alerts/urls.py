from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.operations, name="operations"),
    path("alerts/<int:pk>/", views.alert_detail, name="detail"),
    path("alerts/<int:pk>/acknowledge/", views.act, {"action": "acknowledge"}, name="acknowledge"),
    path("alerts/<int:pk>/resolve/", views.act, {"action": "resolve"}, name="resolve"),
    path("deadletters/", views.dead_letters, name="dead-letters"),
    path("rules/", views.rule_list, name="rules"),
]
