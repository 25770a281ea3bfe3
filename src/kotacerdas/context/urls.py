"""The NGSI-LD API under /ngsi-ld/v1/ (docs/ngsi-ld.md lists every endpoint and its support)."""

from django.urls import path, re_path

from . import views

app_name = "ngsi-ld"

urlpatterns = [
    path("entities", views.entities, name="entities"),
    path("entities/<str:entity_id>", views.entity, name="entity"),
    path("entities/<str:entity_id>/attrs", views.entity_attrs, name="entity-attrs"),
    path("entities/<str:entity_id>/attrs/<str:attr>", views.entity_attr, name="entity-attr"),
    path("entityOperations/create", views.methods(POST=views.batch_create), name="batch-create"),
    path("entityOperations/upsert", views.methods(POST=views.batch_upsert), name="batch-upsert"),
    path("entityOperations/update", views.methods(POST=views.batch_update), name="batch-update"),
    path("entityOperations/delete", views.methods(POST=views.batch_delete), name="batch-delete"),
    path("entityOperations/merge", views.methods(POST=views.batch_merge), name="batch-merge"),
    path("entityOperations/query", views.methods(POST=views.batch_query), name="batch-query"),
    path("types", views.methods(GET=views.list_types), name="types"),
    path("types/<str:type_name>", views.methods(GET=views.type_info), name="type"),
    path("attributes", views.methods(GET=views.list_attributes), name="attributes"),
    path("attributes/<str:attr>", views.methods(GET=views.attribute_info), name="attribute"),
    path("subscriptions", views.subscriptions, name="subscriptions"),
    path("subscriptions/<str:subscription_id>", views.subscription, name="subscription"),
    path("temporal/entities", views.temporal_entities, name="temporal-entities"),
    path("temporal/entities/<str:entity_id>", views.temporal_one, name="temporal-entity"),
    path("temporal/entities/<str:entity_id>/attrs", views.temporal_attrs, name="temporal-attrs"),
    path("temporal/entities/<str:entity_id>/attrs/<str:attr>", views.temporal_attr, name="temporal-attr"),
    path(
        "temporal/entities/<str:entity_id>/attrs/<str:attr>/<str:instance_id>",
        views.temporal_instance,
        name="temporal-instance",
    ),
    path(
        "temporal/entityOperations/query",
        views.methods(POST=views.temporal_batch_query),
        name="temporal-query",
    ),
    path("jsonldContexts", views.json_ld_contexts, name="contexts"),
    re_path(r"^jsonldContexts/(?P<context_id>.+)$", views.json_ld_context, name="context"),
    re_path(r"^(?:csourceRegistrations|csourceSubscriptions|entityMaps|info)(?:/.*)?$", views.not_supported),
]
