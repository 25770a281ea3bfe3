from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("values/", views.value_list, name="values"),
    path("values/import/", views.value_import, name="import"),
]
