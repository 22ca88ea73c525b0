import pytest
from django.utils import translation

from ratings.indicator_sets import load_default_indicators


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    """Compare English msgids; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "en"  # pages answer in English: messages compare as msgids
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _placeholder_set(db):
    """The migration's placeholder set (browser tests flush the database after themselves)."""
    return load_default_indicators()
