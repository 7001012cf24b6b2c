"""Uploads in Wagtail's admin: images only of the raster types and within the size limit (an
SVG can carry script, so it is refused whatever it is called), and no shared-password page
privacy (Wagtail stores that password in plain text). Documents: tests/forum/test_documents.py
(types, sizes, served through Wagtail's view as downloads)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageViewRestriction

pytestmark = pytest.mark.django_db

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("admin-test", password="x"))
    return client


def upload(client, name, content, content_type):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Pilt",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_png_is_accepted(admin_client):
    before = get_image_model().objects.count()
    response = upload(admin_client, "pilt.png", png(), "image/png")
    assert response.status_code == 302
    assert get_image_model().objects.count() == before + 1


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("joonis.svg", "image/svg+xml"), ("joonis.png", "image/png"), ("joonis.svgz", "image/svg")],
)
def test_an_svg_is_refused_whatever_it_is_called(admin_client, name, content_type):
    before = get_image_model().objects.count()
    response = upload(admin_client, name, SVG, content_type)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["file"]
    assert get_image_model().objects.count() == before


def test_an_image_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    big = png((400, 400))
    assert len(big) > 1024
    before = get_image_model().objects.count()
    response = upload(admin_client, "suur.png", big, "image/png")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert get_image_model().objects.count() == before


def test_page_privacy_offers_no_shared_password(admin_client, home):
    url = reverse("wagtailadmin_pages:set_privacy", args=[home.pk])
    form = admin_client.get(url).json()["html"]
    assert 'value="password"' not in form and 'value="login"' in form
    refused = admin_client.post(url, {"restriction_type": "password", "password": "saladus"})
    assert not PageViewRestriction.objects.filter(page=home).exists()
    assert "saladus" not in refused.content.decode()
    # Sign-in privacy, the option left, still works.
    admin_client.post(url, {"restriction_type": "login"})
    restriction = PageViewRestriction.objects.get(page=Page.objects.get(pk=home.pk))
    assert restriction.restriction_type == "login"


def test_collection_privacy_offers_no_shared_password(admin_client):
    from wagtail.models import CollectionViewRestriction

    collection = Collection.get_first_root_node().add_child(name="Materjalid")
    url = reverse("wagtailadmin_collections:set_privacy", args=[collection.pk])
    form = admin_client.get(url).json()["html"]
    assert 'value="password"' not in form and 'value="login"' in form
    admin_client.post(url, {"restriction_type": "password", "password": "saladus"})
    assert not CollectionViewRestriction.objects.filter(collection=collection).exists()
