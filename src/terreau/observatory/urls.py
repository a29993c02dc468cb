"""URLs of the observatory app (French paths)."""

from django.urls import path

from terreau.core.pagecache import public_page

from .api import api
from .views import browse, contribution, imports, moderation, opendata, pages

app_name = "observatory"
urlpatterns = [
    # browse, search, map, dashboard, open data, API
    # The catalogue's pages for anonymous visitors come from the versioned page cache; a
    # search or a filter not yet asked since the catalogue's last change is computed.
    path("", public_page()(browse.InitiativeListView.as_view()), name="initiative_list"),
    path("carte/", public_page()(browse.InitiativeMapView.as_view()), name="map"),
    path("carte/points.geojson", browse.map_data, name="map_data"),
    path("tableau-de-bord/", public_page()(browse.DashboardView.as_view()), name="dashboard"),
    path("donnees/", opendata.OpenDataView.as_view(), name="open_data"),
    path("donnees/initiatives.csv", opendata.export_csv, name="export_csv"),
    path("donnees/initiatives.json", opendata.export_json, name="export_json"),
    path("donnees/initiatives.geojson", opendata.export_geojson, name="export_geojson"),
    path("api/", api.urls),
    path("import/", imports.InitiativeImportView.as_view(), name="initiative_import"),
    path(
        "import/confirmer/",
        imports.InitiativeImportConfirmView.as_view(),
        name="initiative_import_confirm",
    ),
    # contribution, moderation, detail
    path(
        "initiatives/<slug:slug>/",
        public_page()(pages.InitiativeDetailView.as_view()),
        name="initiative_detail",
    ),
    path(
        "initiatives/<slug:slug>/historique/",
        pages.InitiativeHistoryView.as_view(),
        name="initiative_history",
    ),
    path(
        "initiatives/<slug:slug>/historique/<int:number>/restaurer/",
        moderation.RevisionRestoreView.as_view(),
        name="revision_restore",
    ),
    path(
        "initiatives/<slug:slug>/modifier/",
        contribution.ProposalStartEditView.as_view(),
        name="proposal_start_edit",
    ),
    path("methodes/", public_page()(pages.MethodListView.as_view()), name="method_list"),
    path(
        "methodes/<slug:slug>/",
        public_page()(pages.MethodDetailView.as_view()),
        name="method_detail",
    ),
    path("contributions/", contribution.ProposalListView.as_view(), name="proposal_list"),
    path(
        "contributions/nouvelle/", contribution.ProposalStartView.as_view(), name="proposal_start"
    ),
    path(
        "contributions/<int:pk>/", contribution.ProposalReviewView.as_view(), name="proposal_review"
    ),
    path(
        "contributions/<int:pk>/etape/<int:step>/",
        contribution.ProposalStepView.as_view(),
        name="proposal_step",
    ),
    path(
        "contributions/<int:pk>/fichiers/",
        contribution.ProposalMediaAddView.as_view(),
        name="proposal_media_add",
    ),
    path(
        "contributions/<int:pk>/fichiers/<int:media_pk>/",
        contribution.ProposalMediaFileView.as_view(),
        name="proposal_media_file",
    ),
    path(
        "contributions/<int:pk>/fichiers/<int:media_pk>/supprimer/",
        contribution.ProposalMediaDeleteView.as_view(),
        name="proposal_media_delete",
    ),
    path(
        "contributions/<int:pk>/supprimer/",
        contribution.ProposalDeleteView.as_view(),
        name="proposal_delete",
    ),
    path("moderation/", moderation.ModerationQueueView.as_view(), name="moderation_queue"),
    path(
        "moderation/<int:pk>/", moderation.ProposalModerateView.as_view(), name="proposal_moderate"
    ),
]
