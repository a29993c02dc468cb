"""Site-wide pages: home, legal notice, privacy, accessibility."""

from django.urls import path

from . import views
from .outbox.views import OutboxView
from .pagecache import public_page

app_name = "core"
urlpatterns = [
    path("", public_page()(views.HomeView.as_view()), name="home"),
    path("mentions-legales/", public_page()(views.LegalView.as_view()), name="legal"),
    path("confidentialite/", public_page()(views.PrivacyView.as_view()), name="privacy"),
    path("accessibilite/", public_page()(views.AccessibilityView.as_view()), name="accessibility"),
    path("sante/", views.health, name="health"),
    path("langue/<str:code>/", views.set_language, name="set_language"),
    path("design/", views.DesignView.as_view(), name="design"),
    path("gestion/courriels/", OutboxView.as_view(), name="outbox"),
]
