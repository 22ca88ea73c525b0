"""With REQUIRE_SERVICES=1 (CI) the suite must really run on PostgreSQL, Redis and Chromium."""

import pytest
from django.db import connection

from tests.services import CHROMIUM, REDIS_URL, need, redis_available, services_required


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_when_services_are_required():
    if not services_required() and connection.vendor != "postgresql":
        pytest.skip("running on the embedded SQLite database")
    need("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 15


@pytest.mark.redis
def test_redis_answers():
    need("Redis", redis_available(), REDIS_URL)


@pytest.mark.browser
def test_chromium_is_installed():
    need("Chromium", CHROMIUM.exists(), str(CHROMIUM))
