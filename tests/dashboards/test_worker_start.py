"""A new server process knows every script it may serve before its first request.

Dash registers the servable JavaScript paths in its first-request set-up, and marks the set-up
done before it finishes: under gunicorn's threaded workers, requests for React that arrive
while the first request is still setting up were answered 500 (seen in `make demo`)."""

from __future__ import annotations

from dashboards.app import create_app
from tests.dashboards.conftest import _release


def test_a_new_app_has_registered_every_script_before_any_request(settings):
    _release(settings.serving_dir)
    served = create_app(settings)
    assert served.server.test_client().get("/?lang=en").status_code == 200
    fresh = create_app(settings)  # another worker: no request yet
    assert served.registered_paths["dash"]  # React, the renderer, dcc, html, ...
    assert dict(fresh.registered_paths) == dict(served.registered_paths)
