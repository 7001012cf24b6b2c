"""The site's URLs plus one view that fails, to see the server error page as served."""

from django.urls import path
from koda.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("A fault for the server error page.")


urlpatterns = [path("fails/", fail), *site_urlpatterns]
