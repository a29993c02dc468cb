"""URLs of the library app (French paths, under /ressources/)."""

from django.urls import path

from terreau.core.pagecache import public_page

from .views import codevelopment, newsletter, proposals, resources

app_name = "library"
urlpatterns = [
    path("", public_page()(resources.ResourceListView.as_view()), name="resource_list"),
    # newsletter
    path("lettre/", newsletter.NewsletterSubscribeView.as_view(), name="newsletter_subscribe"),
    path("lettre/merci/", newsletter.NewsletterPendingView.as_view(), name="newsletter_pending"),
    path(
        "lettre/confirmer/<str:token>/",
        newsletter.NewsletterConfirmView.as_view(),
        name="newsletter_confirm",
    ),
    path(
        "lettre/preferences/<str:token>/",
        newsletter.NewsletterManageView.as_view(),
        name="newsletter_manage",
    ),
    path(
        "lettre/desabonnement/<str:token>/",
        newsletter.NewsletterUnsubscribeView.as_view(),
        name="newsletter_unsubscribe",
    ),
    path("lettre/numeros/", newsletter.IssueListView.as_view(), name="issue_list"),
    path("lettre/numeros/nouveau/", newsletter.IssueCreateView.as_view(), name="issue_create"),
    path("lettre/numeros/<int:pk>/", newsletter.IssueDetailView.as_view(), name="issue_detail"),
    path(
        "lettre/numeros/<int:pk>/apercu/",
        newsletter.IssuePreviewView.as_view(),
        name="issue_preview",
    ),
    path(
        "lettre/numeros/<int:pk>/modifier/", newsletter.IssueEditView.as_view(), name="issue_edit"
    ),
    path(
        "lettre/numeros/<int:pk>/test/",
        newsletter.IssueTestSendView.as_view(),
        name="issue_test_send",
    ),
    path("lettre/numeros/<int:pk>/envoyer/", newsletter.IssueSendView.as_view(), name="issue_send"),
    path(
        "lettre/numeros/<int:pk>/reprendre/",
        newsletter.IssueResumeView.as_view(),
        name="issue_resume",
    ),
    # members' proposals (moderated)
    path("propositions/", proposals.ProposalListView.as_view(), name="proposal_queue"),
    path("proposer/", proposals.ProposalCreateView.as_view(), name="proposal_create"),
    path("propositions/<int:pk>/", proposals.ProposalDetailView.as_view(), name="proposal_detail"),
    path(
        "propositions/<int:pk>/modifier/",
        proposals.ProposalReviseView.as_view(),
        name="proposal_revise",
    ),
    path(
        "propositions/<int:pk>/decision/",
        proposals.ProposalDecideView.as_view(),
        name="proposal_decide",
    ),
    path(
        "propositions/<int:pk>/fichier/", proposals.ProposalFileView.as_view(), name="proposal_file"
    ),
    # co-development
    path(
        "codeveloppement/",
        public_page()(codevelopment.NeedListView.as_view()),
        name="need_list",
    ),
    path("codeveloppement/nouveau/", codevelopment.NeedCreateView.as_view(), name="need_create"),
    path(
        "codeveloppement/<slug:slug>/",
        public_page()(codevelopment.NeedDetailView.as_view()),
        name="need_detail",
    ),
    path(
        "codeveloppement/<slug:slug>/proposer/",
        codevelopment.OfferCreateView.as_view(),
        name="need_offer",
    ),
    path(
        "codeveloppement/<slug:slug>/session/",
        codevelopment.NeedScheduleView.as_view(),
        name="need_schedule",
    ),
    path(
        "codeveloppement/<slug:slug>/resultat/",
        codevelopment.NeedOutcomeView.as_view(),
        name="need_outcome",
    ),
    path(
        "codeveloppement/<slug:slug>/resolu/",
        codevelopment.NeedResolveView.as_view(),
        name="need_resolve",
    ),
    path(
        "<slug:slug>/",
        public_page()(resources.ResourceDetailView.as_view()),
        name="resource_detail",
    ),
]
