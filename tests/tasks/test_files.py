"""Uploaded files are served only after an access check; another branch's file is a 404."""

from __future__ import annotations

from django.urls import reverse

from tests.builders.tasks import (
    PDF_BYTES,
    assignment_of,
    attach_file,
    attach_item_file,
    published_item,
)


def test_own_file_is_served_as_attachment_and_other_branch_gets_404(personas):
    item = published_item(personas.tree["committee"])
    stored = attach_file(assignment_of(item, personas.tree["branch_a"]))
    url = reverse("tasks:assignment_file", args=[stored.pk])
    response = personas.client("secretary_a").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert personas.client("secretary_b").get(url).status_code == 404
    assert personas.client("member").get(url).status_code == 404


def test_files_live_outside_static(personas, settings):
    item = published_item(personas.tree["committee"])
    stored = attach_file(assignment_of(item, personas.tree["branch_a"]))
    assert str(settings.MEDIA_ROOT) in stored.file.path
    for static_dir in settings.STATICFILES_DIRS:
        assert not stored.file.path.startswith(str(static_dir))


def test_missing_file_on_disk_is_404(personas):
    item = published_item(personas.tree["committee"])
    stored = attach_file(assignment_of(item, personas.tree["branch_a"]))
    stored.file.delete(save=False)
    response = personas.client("secretary_a").get(
        reverse("tasks:assignment_file", args=[stored.pk])
    )
    assert response.status_code == 404


def test_item_template_reaches_targeted_branches_only(personas):
    item = published_item(
        personas.tree["committee"], scope="chosen", chosen=[personas.tree["branch_a"]]
    )
    stored = attach_item_file(item)
    url = reverse("tasks:item_file", args=[stored.pk])
    assert personas.client("secretary_a").get(url).status_code == 200
    assert personas.client("secretary_b").get(url).status_code == 404
    assert personas.client("office").get(url).status_code == 200
