from django.urls import path
from koda.urls import urlpatterns as site_urlpatterns

from . import views

# The floor first: koda.urls ends in Wagtail's catch-all page route.
urlpatterns = [path("bench/floor/", views.floor, name="bench_floor"), *site_urlpatterns]
