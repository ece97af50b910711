from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from activering import views
from activering.admin_site import beheer_site

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # The language switch is also on the login page, before anyone has signed in.
    path("taal/", login_not_required(set_language), name="set_language"),
    path("beheer/", beheer_site.urls),
    path("klanten/", include("clients.urls")),
    path("locaties/", include("locations.urls")),
    path("", include("meetings.urls")),
]
