"""Partners upload through the dashboard while a refresh holds the warehouse: no lock error,
no lost file; the next refresh loads both returns and the Submit page then shows each one
"in release R" with the version the release lists."""

from __future__ import annotations

import json
import threading

import pytest

from dashboards.access import AccessConfig
from dashboards.pages import submit as submit_page
from indicators.release_reader import ReleaseStore
from indicators.submission_status import progress
from indicators.submissions import AuditTrail
from orchestration.defs.resources import resources_for
from orchestration.runner import run_refresh
from tests.orchestration.helpers import write_victims_csv
from tests.security.partner_users import sign_in_partner, upload_body, write_users_with_partners


@pytest.mark.slow
def test_two_partners_upload_while_a_refresh_runs(settings, tmp_path):
    from dashboards.app import create_app

    write_victims_csv(settings.inbox_dir, "otsh.csv", "OTSH", "2024-03", [3, 4, 6])
    write_users_with_partners(settings.data_dir)
    store = ReleaseStore(settings.serving_dir)
    app = create_app(settings, store, AccessConfig(
        public_access=True, secret_key=b"k" * 32,
        env={"OBS_USERS_FILE": str(settings.data_dir / "users.json")}))
    files = {"pia": write_victims_csv(tmp_path, "apf.csv", "APF", "2024-03", [5, 7]),
             "gil": write_victims_csv(tmp_path, "dgs.csv", "DGS", "2024-03", [8, 9])}
    reports = []
    refresh = threading.Thread(target=lambda: reports.append(run_refresh(
        "2024-03-01", "2024-03-01", resources=resources_for(str(settings.data_dir)))))
    refresh.start()
    answers, running = [], []
    for name, path in files.items():
        client = app.server.test_client()
        sign_in_partner(client, name)
        response = client.post("/_dash-update-component",
                               json=upload_body(path.read_bytes(), path.name))
        running.append(refresh.is_alive())
        answers.append((response.status_code, json.dumps(response.get_json())))
    refresh.join(timeout=600)
    assert running == [True, True]  # both uploads happened during the refresh
    assert [status for status, _ in answers] == [200, 200]
    assert all("submit-receipt" in text for _, text in answers)
    assert reports and reports[0].success, reports[0].errors if reports else "no report"
    uploads = AuditTrail(settings.data_dir).all()
    assert sorted(s.partner for s in uploads) == ["APF", "DGS"]
    for sub in uploads:  # waiting in the inbox, or already loaded: never lost
        assert progress(sub, settings).state in ("received", "loaded")
    again = run_refresh("2024-03-01", "2024-03-01",
                        resources=resources_for(str(settings.data_dir)))
    assert again.success, again.errors
    for sub in uploads:
        published = submit_page.published_of(store, sub.partner)
        release, versions = published.release_id, published.versions
        assert release == again.release_id and versions[("victims", "2024-03")] == 1
        state = progress(sub, settings, release, versions)
        assert (state.state, state.release_id) == ("in_release", again.release_id)
    assert list(settings.inbox_dir.iterdir()) == []
    store.close()
