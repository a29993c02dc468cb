"""URLs of the worksites app (French paths, under /chantiers/)."""

from django.urls import path

from terreau.core.pagecache import public_page

from . import views

app_name = "worksites"
case = "<slug:slug>/cas/<slug:case_slug>/"
urlpatterns = [
    path("", public_page()(views.worksite_list), name="list"),
    path("<slug:slug>/", public_page()(views.worksite_detail), name="detail"),
    path("<slug:slug>/espace/", views.workspace, name="workspace"),
    path("<slug:slug>/espace/consentement/", views.consent_change, name="consent"),
    path("<slug:slug>/reglages/", views.worksite_edit, name="edit"),
    path("<slug:slug>/membres/", views.members, name="members"),
    path("<slug:slug>/membres/statut/", views.worksite_status, name="status"),
    path("<slug:slug>/membres/comite/ajouter/", views.committee_add, name="committee_add"),
    path(
        "<slug:slug>/membres/comite/<int:member_id>/role/",
        views.committee_role,
        name="committee_role",
    ),
    path(
        "<slug:slug>/membres/comite/<int:member_id>/retirer/",
        views.committee_remove,
        name="committee_remove",
    ),
    path(
        "<slug:slug>/membres/participants/ajouter/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "<slug:slug>/membres/participants/<int:participant_id>/retirer/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("<slug:slug>/membres/presentateurs/ajouter/", views.presenter_add, name="presenter_add"),
    path(
        "<slug:slug>/membres/cas/<int:case_id>/presentateurs/<int:person_id>/retirer/",
        views.presenter_remove,
        name="presenter_remove",
    ),
    path(
        "<slug:slug>/membres/sections/<int:section_id>/responsable/",
        views.section_owner,
        name="section_owner",
    ),
    path("<slug:slug>/cas/ajouter/", views.case_create, name="case_create"),
    path("<slug:slug>/themes/", views.themes, name="themes"),
    path(
        "<slug:slug>/themes/etiquettes/<int:tag_id>/retirer/", views.tag_remove, name="tag_remove"
    ),
    path("<slug:slug>/mutualisation/", views.pooling, name="pooling"),
    path("<slug:slug>/publication/", views.publication, name="publication"),
    path("<slug:slug>/publication/<int:number>/", views.edition_detail, name="edition"),
    path("<slug:slug>/publication/<int:number>/pdf/", views.edition_pdf, name="edition_pdf"),
    path("<slug:slug>/publication/<int:number>/epub/", views.edition_epub, name="edition_epub"),
    path(
        "<slug:slug>/publication/<int:number>/avancement/",
        views.edition_progress,
        name="edition_progress",
    ),
    path(case + "presentation/", views.presentation_edit, name="presentation"),
    path(case + "presentation/envoyer/", views.presentation_send, name="presentation_send"),
    path(case + "mixite/", views.registrant_mix, name="mix"),
    path(case + "bulletin-inscription.pdf", views.bulletin_pdf, name="bulletin"),
    path(case + "compte-rendu/", views.report_detail, name="report"),
    path(case + "compte-rendu/statut/", views.report_status, name="report_status"),
    path(case + "compte-rendu/retour/", views.report_return, name="report_return"),
    path(case + "compte-rendu/sections/ajouter/", views.section_add, name="section_add"),
    path(case + "compte-rendu/sections/<int:pk>/", views.section_edit, name="section_edit"),
    path(
        case + "compte-rendu/sections/<int:pk>/apercu/",
        views.section_preview,
        name="section_preview",
    ),
    path(
        case + "compte-rendu/sections/<int:pk>/versions/",
        views.section_history,
        name="section_history",
    ),
    path(
        case + "compte-rendu/sections/<int:pk>/versions/<int:version>/restaurer/",
        views.section_restore,
        name="section_restore",
    ),
    path(
        case + "compte-rendu/sections/<int:pk>/discussion/",
        views.section_comments,
        name="section_comments",
    ),
    path(
        case + "compte-rendu/sections/<int:pk>/commentaires/",
        views.comment_add,
        name="comment_add",
    ),
    path(
        case + "compte-rendu/commentaires/<int:comment_id>/resoudre/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path(
        case + "compte-rendu/sections/<int:pk>/suggestions/",
        views.suggestion_add,
        name="suggestion_add",
    ),
    path(
        case + "compte-rendu/suggestions/<int:suggestion_id>/decider/",
        views.suggestion_decide,
        name="suggestion_decide",
    ),
]
