"""The partners' Submit page in Chromium: a valid upload gives a receipt (and the file waits
in the inbox), a broken one shows every problem by row and column and is quarantined, and
another partner's history is denied."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import run_axe, screenshot
from tests.dashboards.conftest import _release
from tests.security.partner_users import PARTNER_USERS, write_users_with_partners

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "returns" / "victims_APF_2024-03.csv"


@pytest.fixture
def partner_app(settings):
    from dashboards.app import create_app

    _release(settings.serving_dir)
    write_users_with_partners(settings.data_dir)
    return create_app(settings)


def _sign_in_partner(dash_duo, name: str, lang: str = "en") -> None:
    dash_duo.driver.get(dash_duo.server_url + f"/login?lang={lang}&next=/submit")
    dash_duo.find_element("#username").send_keys(name)
    dash_duo.find_element("#password").send_keys(PARTNER_USERS[name][1])
    dash_duo.find_element("form.auth-form button[type=submit]").click()
    dash_duo.wait_for_element("#submit-upload", timeout=15)


def _upload(dash_duo, path: Path) -> None:
    dash_duo.find_element("#submit-upload input[type=file]").send_keys(str(path))


def test_valid_upload_gives_a_receipt_and_the_file_waits_in_the_inbox(dash_duo, partner_app,
                                                                      settings):
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia")
    dash_duo.wait_for_text_to_equal("#page-title", "Submit", timeout=10)
    assert dash_duo.find_elements("#submit-history-empty")
    _upload(dash_duo, FIXTURE)
    dash_duo.wait_for_element("#submit-receipt", timeout=20)
    receipt = dash_duo.find_element("#submit-receipt").text
    for expected in ("Return received", "APF", "victims", "2024-03", "v1",
                     "victims_APF_2024-03.csv"):
        assert expected in receipt
    dash_duo.wait_for_contains_text("#submit-history-table",
                                    "received → waiting to be loaded", timeout=20)
    [waiting] = list(settings.inbox_dir.iterdir())
    assert waiting.read_bytes() == FIXTURE.read_bytes()
    dash_duo.driver.set_window_size(1280, 2300)  # the whole page: receipt, calendar, history
    screenshot(dash_duo.driver, "submit_receipt_en")
    violations = run_axe(dash_duo.driver)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    assert dash_duo.get_logs() == []


def test_broken_upload_shows_every_problem_and_is_quarantined(dash_duo, partner_app, settings,
                                                              tmp_path):
    broken = tmp_path / "victims <b onmouseover=alert(1)>broken.csv"
    broken.write_bytes(FIXTURE.read_bytes().replace(b"PT-13", b"PT-99")
                       .replace(b",0\n", b",-4\n"))
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia", lang="pt")
    _upload(dash_duo, broken)
    dash_duo.wait_for_element("#submit-problems", timeout=20)
    rows = [r.text for r in dash_duo.find_elements("#submit-problems-table tbody tr")]
    assert len(rows) == 2
    assert any("linha 3" in r and "coluna district" in r and "PT-99" in r for r in rows)
    assert any("linha 4" in r and "coluna count" in r for r in rows)
    assert "Reporte rejeitado" in dash_duo.find_element("#submit-problems").text
    assert dash_duo.find_elements("#submit-problems a[href='#submit-template']")
    assert list(settings.inbox_dir.iterdir()) == []
    kept = [p for p in settings.quarantine_dir.iterdir() if p.name.endswith("_broken.csv")]
    assert kept and kept[0].read_bytes() == broken.read_bytes()
    assert (kept[0].parent / (kept[0].name + ".report.txt")).exists()
    dash_duo.wait_for_contains_text("#submit-history-table", "rejeitado", timeout=20)
    dash_duo.driver.set_window_size(1280, 2300)
    screenshot(dash_duo.driver, "submit_rejected_pt")
    assert dash_duo.driver.execute_script(
        "return document.querySelectorAll('#page-content b').length") == 0
    assert run_axe(dash_duo.driver) == []
    assert dash_duo.get_logs() == []


def test_another_partners_history_is_denied(dash_duo, partner_app):
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia")
    _upload(dash_duo, FIXTURE)
    dash_duo.wait_for_element("#submit-receipt", timeout=20)
    dash_duo.driver.delete_all_cookies()
    _sign_in_partner(dash_duo, "gil")  # DGS
    dash_duo.wait_for_element("#submit-history-empty", timeout=10)
    assert "victims_APF_2024-03.csv" not in dash_duo.driver.page_source
    dash_duo.driver.get(dash_duo.server_url + "/submit?lang=en&partner=APF")
    dash_duo.wait_for_element("#denied", timeout=10)
    assert "own organisation" in dash_duo.find_element("#denied").text
    assert dash_duo.find_elements("#submit-upload") == []
    assert "victims_APF_2024-03.csv" not in dash_duo.driver.page_source
    assert dash_duo.get_logs() == []


def test_a_file_over_the_limit_gets_a_message_and_is_not_sent(dash_duo, partner_app, settings,
                                                              tmp_path):
    """The browser refuses a file over the upload limit (dcc.Upload max_size) without any
    callback: the page must say so, in the page's language, and a file within the limit
    afterwards hides the message again."""
    from indicators.submissions import UPLOAD_MAX_BYTES

    big = tmp_path / "victims_APF_2024-03_big.csv"
    body = FIXTURE.read_bytes()
    big.write_bytes(body * (UPLOAD_MAX_BYTES // len(body) + 2))
    size_kb = -(-big.stat().st_size // 1024)
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia", lang="pt")
    assert not dash_duo.find_element("#submit-too-large").is_displayed()
    _upload(dash_duo, big)
    dash_duo.wait_for_contains_text("#submit-too-large", "não foi enviado", timeout=10)
    note = dash_duo.find_element("#submit-too-large")
    assert note.is_displayed()
    assert big.name in note.text and f"{size_kb} KB" in note.text
    assert f"{UPLOAD_MAX_BYTES // 1024} KB" in note.text
    assert list(settings.inbox_dir.iterdir()) == []
    assert list(settings.quarantine_dir.iterdir()) == []
    assert dash_duo.find_element("#submit-result").text == ""
    screenshot(dash_duo.driver, "submit_too_large_pt")
    _upload(dash_duo, FIXTURE)
    dash_duo.wait_for_element("#submit-receipt", timeout=20)
    assert not dash_duo.find_element("#submit-too-large").is_displayed()
    assert dash_duo.get_logs() == []


def test_the_too_large_message_is_in_english_on_the_english_page(dash_duo, partner_app,
                                                                   tmp_path):
    from indicators.submissions import UPLOAD_MAX_BYTES

    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (UPLOAD_MAX_BYTES + 1))
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia", lang="en")
    _upload(dash_duo, big)
    dash_duo.wait_for_contains_text("#submit-too-large", "was not sent", timeout=10)
    assert "the limit is 700 KB" in dash_duo.find_element("#submit-too-large").text


def test_a_file_of_another_type_gets_a_message_and_is_not_sent(dash_duo, partner_app,
                                                                settings, tmp_path):
    """The drop zone takes .csv and .xlsx only and drops anything else without a callback:
    the page must say why nothing happened."""
    odd = tmp_path / "victims_APF_2024-03.pdf"
    odd.write_bytes(b"%PDF-1.4 not a return")
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia", lang="pt")
    _upload(dash_duo, odd)
    dash_duo.wait_for_contains_text("#submit-too-large", "só são aceites", timeout=10)
    assert odd.name in dash_duo.find_element("#submit-too-large").text
    assert list(settings.inbox_dir.iterdir()) == []
    assert dash_duo.find_element("#submit-result").text == ""


def test_the_same_file_again_after_the_reason_is_written_is_received(dash_duo, partner_app,
                                                                     settings, tmp_path):
    """A corrected return sent without a reason asks for it and to send the file again; the
    partner writes the reason and chooses the SAME file again. dcc.Upload only tells the
    server when its contents change, so the page must forget the file it has handled."""
    corrected = tmp_path / "victims_APF_2024-03_corrected.csv"
    corrected.write_bytes(FIXTURE.read_bytes().replace(b",2\n", b",3\n", 1))
    dash_duo.start_server(partner_app)
    _sign_in_partner(dash_duo, "pia", lang="pt")
    _upload(dash_duo, FIXTURE)
    dash_duo.wait_for_element("#submit-receipt", timeout=20)
    _upload(dash_duo, corrected)
    dash_duo.wait_for_contains_text("#submit-notice", "Escreva o motivo", timeout=20)
    assert len(list(settings.inbox_dir.iterdir())) == 1
    dash_duo.find_element("#submit-reason").send_keys("contagem corrigida em Lisboa")
    # what the drop zone does when clicked (react-dropzone's open(): the input forgets its
    # file), so the browser reports the same file as chosen again
    dash_duo.driver.execute_script(
        "document.querySelector('#submit-upload input[type=file]').value = null;")
    _upload(dash_duo, corrected)
    dash_duo.wait_for_element("#submit-receipt", timeout=20)
    receipt = dash_duo.find_element("#submit-receipt").text
    assert "v2" in receipt and corrected.name in receipt
    assert len(list(settings.inbox_dir.iterdir())) == 2
    assert dash_duo.get_logs() == []
