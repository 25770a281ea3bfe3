"""The IoT Agent interfaces, mounted at /iot/."""

from django.urls import path

from . import iot

app_name = "iot"
urlpatterns = [
    path("services", iot.service_groups, name="services"),
    path("devices", iot.devices, name="devices"),
    path("devices/<str:device_id>", iot.device, name="device"),
    path("json", iot.southbound_json, name="json"),
    path("d", iot.southbound_ultralight, name="ultralight"),
]
