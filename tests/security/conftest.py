from __future__ import annotations

from pathlib import Path

import pytest

from bench.fixtures.users import write_test_users
from dashboards.access import AccessConfig
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings
from tests.dashboards.conftest import _release


def make_access(settings: Settings, **overrides) -> AccessConfig:
    fields = dict(public_access=True, cookie_secure=True, secret_key=b"k" * 32,
                  env={"OBS_USERS_FILE": str(settings.data_dir / "users.json")})
    fields.update(overrides)
    return AccessConfig(**fields)


@pytest.fixture
def users_file(settings: Settings) -> Path:
    return write_test_users(settings.data_dir)


@pytest.fixture
def store(settings: Settings) -> ReleaseStore:
    _release(settings.serving_dir)
    s = ReleaseStore(settings.serving_dir)
    yield s
    s.close()


@pytest.fixture
def app(settings: Settings, store: ReleaseStore, users_file: Path):
    from dashboards.app import create_app

    return create_app(settings, store, make_access(settings))


@pytest.fixture
def client(app):
    return app.server.test_client()
