from django.urls import path

from . import views

app_name = "pillars"
urlpatterns = [path("", views.pillar_list, name="list")]
