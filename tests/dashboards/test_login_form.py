"""After a failed sign-in the form keeps the typed user name (escaped) and never the
password, and the password field takes the focus, so the user retypes only the password."""

from __future__ import annotations

import re

import pytest

from bench.fixtures.users import post_login, write_test_users


@pytest.fixture
def client(settings, store):
    from dashboards.app import create_app
    from tests.security.conftest import make_access

    write_test_users(settings.data_dir)
    return create_app(settings, store, make_access(settings)).server.test_client()


def _input(page: str, name: str) -> str:
    [tag] = re.findall(rf'<input id="{name}"[^>]*>', page)
    return tag


def test_a_failed_sign_in_keeps_the_user_name_not_the_password(client):
    response = post_login(client, "Ana", "not-the-password-1", lang="pt")
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Nome de utilizador ou palavra-passe incorretos." in page
    assert 'value="ana"' in _input(page, "username")  # as the server reads it: lower case
    assert "autofocus" in _input(page, "password")
    assert "value=" not in _input(page, "password")
    assert "not-the-password-1" not in page


def test_the_kept_user_name_is_escaped(client):
    page = post_login(client, '"><script>x</script>', "wrong-password-12").get_data(
        as_text=True)
    assert "<script>x" not in page
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in _input(page, "username")


def test_the_first_visit_focuses_the_user_name(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "autofocus" in _input(page, "username") and 'value=""' in _input(page, "username")


@pytest.mark.parametrize("lang, words", [
    ("pt", ("Organizações parceiras", "equipa do OTSH", "enviar os reportes mensais",
            "modelo", "só vê os ficheiros da sua organização", "Sem conta",
            "www.otsh.mai.gov.pt")),
    ("en", ("Partner organisations", "the OTSH team created", "send your monthly returns",
            "template", "only your own organisation's files", "No account",
            "www.otsh.mai.gov.pt")),
])
def test_the_sign_in_hint_tells_a_partner_who_gives_accounts_and_what_they_can_do(
        client, lang, words):
    page = client.get(f"/login?lang={lang}").get_data(as_text=True)
    hint = " ".join(re.findall(r'<p class="hint">(.*?)</p>', page, flags=re.S))
    hint = hint.replace("&#x27;", "'")
    for word in words:
        assert word in hint, (lang, word, hint)
