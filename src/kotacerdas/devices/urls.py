"""The IoT Agent interfaces, mounted at /iot/."""

from django.urls import path

from . import iot, views

app_name = "iot"
urlpatterns = [
    path("services", iot.service_groups, name="services"),
    path("devices", iot.devices, name="devices"),
    path("devices/<str:device_id>", iot.device, name="device"),
    path("json", iot.southbound_json, name="json"),
    path("d", iot.southbound_ultralight, name="ultralight"),
]

# the pages, mounted at /devices/ (namespace "devices")
page_patterns = [
    path("", views.device_list, name="list"),
    path("groups/<int:pk>/import/", views.import_devices, name="import"),
]
