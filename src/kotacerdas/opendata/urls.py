from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalog.jsonld", views.dcat, name="dcat"),
    path("<slug:slug>.<str:fmt>", views.download, name="download"),
]
