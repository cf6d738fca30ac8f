"""The Dash application: shell (header, nav, language, footer), URL-held state, downloads.

State lives in the URL: ``/<page>?lang=en&indicator=…&grain=…&period=…&district=…``.
Three callbacks drive everything:

* ``render_shell`` (URL → header, controls, footer) re-renders the controls only when the
  page, the language or options-changing parameters change, or on navigation;
* ``sync_url`` (controls → URL) writes the controls' values into the query string;
* ``render_content`` (URL → page content) draws the figures and tables.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlencode

import flask
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboards import access, api, components, hardening, metadata, upload_audit
from dashboards.components import View
from dashboards.pages import PAGES, page_for
from dashboards.pages import map as map_page
from dashboards.pages import quality as quality_page
from dashboards.pages import results as results_page
from dashboards.pages import submit as submit_page
from dashboards.pages.common import NAMES_MISSING, names_missing
from indicators.i18n import DEFAULT_LANG, fmt_date, norm_lang, t
from indicators.open_data.tables import top_audience
from indicators.release_reader import Release, ReleaseStore, Unavailable
from indicators.reports import donor as report
from indicators.reports import exports
from indicators.settings import Settings, load_settings
from indicators.users import PARTNER_ROLE, ROLES

log = logging.getLogger(__name__)
KEEP_ACROSS_PAGES = ("lang", "district", "release")

INDEX = """<!DOCTYPE html>
<html lang="{%lang%}">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<footer>
{%config%}
{%scripts%}
{%renderer%}
</footer>
</body>
</html>"""


def parse_search(search: str | None) -> dict[str, str]:
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {key: values[-1] for key, values in parsed.items() if values}


def build_search(params: dict[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


def lang_of(search: str | None) -> str:
    return norm_lang(parse_search(search).get("lang", DEFAULT_LANG))


def full_params(page: Any, rel: Release, search: str | None) -> dict[str, Any]:
    raw = parse_search(search)
    params = page.normalise(rel, raw)
    params["lang"] = norm_lang(raw.get("lang"))
    return params


def release_for(store: ReleaseStore, search: str | None) -> Release:
    """The release a URL asks for (``release=<id>``, a past release kept by retention), else
    the current one (also when the asked-for release is no longer kept)."""
    wanted = parse_search(search).get("release")
    if wanted:
        try:
            return store.release(wanted)
        except Unavailable as error:
            log.info("release %r not served: %s", wanted, error)
    return store.current()


def page_view(store: ReleaseStore, pathname: str | None, search: str | None) -> tuple[
        Release, Any, dict[str, Any], View]:
    """Everything a page shows for a URL (used by the content callback and downloads)."""
    page = page_for(pathname)
    if page is None:
        raise LookupError(pathname)
    rel = release_for(store, search)
    params = full_params(page, rel, search)
    seen = {**params, **viewer_params(page)}
    key = ("view", page.PATH, tuple(sorted(seen.items())))
    shown = rel.cached(key, lambda: page.view(rel, seen, params["lang"]))
    return rel, page, params, shown


def viewer_params(page: Any) -> dict[str, Any]:
    """What a page's view depends on besides its address (its ``VIEWER_PARAMS``), from the
    signed-in role of the request, never from the address: whether the hovers name the
    partners whose returns are missing (analysts only). Part of the view's cache key."""
    if NAMES_MISSING in getattr(page, "VIEWER_PARAMS", ()):
        return {NAMES_MISSING: names_missing(access.current_role())}
    return {}


def page_controls(rel: Release, page: Any, params: dict[str, Any]) -> list[Any]:
    """A page's controls for normalised ``params`` (language included), computed once per
    release: their options come from the release only (the results page's period list costs
    ~0.1 s to build), never from the user."""
    key = ("controls", page.PATH, tuple(sorted(params.items())))
    return rel.cached(key, lambda: page.controls(rel, params, params["lang"]))


def view_key(pathname: str | None, rel: Release, params: dict[str, Any]) -> list:
    """What a page's content depends on: the page, the release and the normalised parameters.
    On a first load ``sync_url`` writes the normalised parameters into the address; the
    content drawn for the bare address is the same view, so it is not sent and drawn again
    (a second full render of every graph and table)."""
    return [pathname or "/", rel.release_id, *sorted(f"{k}={v}" for k, v in params.items())]


def maintenance(lang: str) -> html.Div:
    return html.Div(className="maintenance", role="alert", children=[
        html.H1(t("app.maintenance.title", lang)),
        html.P(t("app.maintenance.body", lang)),
        html.P(t("app.maintenance.body", "en" if lang == "pt" else "pt"),
               lang="en" if lang == "pt" else "pt"),
    ])


def _nav(pathname: str, search: str | None, lang: str) -> html.Nav:
    keep = {k: v for k, v in parse_search(search).items() if k in KEEP_ACROSS_PAGES}
    current = page_for(pathname)
    items = []
    for page in PAGES:
        if not access.allowed(page.AUDIENCE):
            continue
        is_current = page is current
        items.append(html.Li(dcc.Link(
            t(page.TITLE_KEY, lang), href=page.PATH + build_search(keep),
            className="nav-link active" if is_current else "nav-link")))
    return html.Nav(html.Ul(items, className="nav-list"), **{"aria-label": t("app.nav", lang)})


def _header(pathname: str, search: str | None, lang: str) -> list[Any]:
    params = parse_search(search)
    other = "en" if lang == "pt" else "pt"
    # a local path only: a page URL such as //evil.example/x must not make this link leave
    here = access.safe_next(pathname)
    toggle = dcc.Link(t("app.switch_lang", lang),
                      href=here + build_search({**params, "lang": other}),
                      className="lang-toggle", id="lang-toggle",
                      title=t("app.switch_lang_label", lang))
    return [
        html.A(t("app.skip", lang), href="#main", className="skip-link"),
        html.Div(className="brand", children=[
            html.Span("OTSH", className="brand-mark", **{"aria-hidden": "true"}),
            html.Span(t("app.title", lang), className="brand-name"),
        ]),
        toggle,
        _nav(pathname, search, lang),
        _account(pathname, search, lang),
    ]


def _account(pathname: str, search: str | None, lang: str) -> html.Div:
    """The signed-in user and a sign-out button, or a sign-in link (full page loads)."""
    user = access.current_user()
    if user is None:
        return html.Div(className="account", children=html.A(
            t("auth.login", lang), href=access.login_href((pathname or "/") + (search or ""),
                                                          lang), className="account-link"))
    role = t(f"audience.{user.role}", lang) if user.role in (*ROLES, PARTNER_ROLE) \
        else user.role
    if user.partner:
        role = f"{role} {user.partner}"
    return html.Div(className="account", children=[
        html.Span(t("auth.signed_in", lang, user=user.username, role=role), id="signed-in"),
        html.Form(action="/logout", method="post", className="logout-form", children=[
            dcc.Input(type="hidden", name="csrf", value=access.csrf_token(), id="logout-csrf"),
            dcc.Input(type="hidden", name="lang", value=lang, id="logout-lang"),
            html.Button(t("auth.logout", lang), type="submit", className="account-link"),
        ]),
    ])


def denied(pathname: str | None, search: str | None, lang: str) -> html.Div:
    """What a forbidden page shows instead of its data: sign in, or not allowed."""
    signed_in = access.current_user() is not None
    key = "auth.forbidden" if signed_in else "auth.required_body"
    other = "en" if lang == "pt" else "pt"
    children: list[Any] = [html.P(t(key, lang)), html.P(t(key, other), lang=other)]
    if not signed_in:
        children.append(html.P(html.A(t("auth.login", lang), className="btn-link",
                                      href=access.login_href((pathname or "/") + (search or ""),
                                                             lang))))
    return html.Div(className="denied", role="alert", id="denied", children=children)


def _denied_title(lang: str) -> str:
    signed_in = access.current_user() is not None
    return t("auth.forbidden_title" if signed_in else "auth.required_title", lang)


def _footer(rel: Release | None, lang: str) -> list[Any]:
    if rel is None:
        return [html.P(t("app.footer", lang))]
    return [
        html.P(t("app.release", lang, release=rel.release_id,
                 created=fmt_date(rel.info.created_at.date(), lang)), id="release-id"),
        html.P(t("app.footer", lang)),
    ]


def _past_banner(store: ReleaseStore, rel: Release, search: str | None, pathname: str | None,
                 lang: str) -> list[Any]:
    """A past release (``release=``) says so, with a link to the current one; a release
    asked for but no longer kept says that the current one is shown."""
    wanted = parse_search(search).get("release")
    if not wanted:
        return []
    if rel.release_id != wanted:
        return [html.P(t("app.release_gone", lang), className="banner past", role="status",
                       id="past-release-banner")]
    if rel.release_id == store.current().release_id:
        return []
    keep = {k: v for k, v in parse_search(search).items() if k != "release"}
    return [html.P(className="banner past", role="status", id="past-release-banner", children=[
        t("app.past_release", lang, release=rel.release_id,
          created=fmt_date(rel.info.created_at.date(), lang)), " ",
        dcc.Link(t("app.past_release_link", lang), href=(pathname or "/") + build_search(keep),
                 id="current-release-link")])]


def _revisions_notice(rel: Release, lang: str) -> list[Any]:
    """A release that does not publish values the release before it published says so once,
    for the values this reader may read (:func:`metadata.hidden_since_previous`), with a
    link to the release policy that explains why."""
    text = metadata.hidden_since_previous(rel, top_audience(api.audiences()), lang)
    if not text:
        return []
    return [html.P(className="banner revisions", id="revisions-banner", role="note", children=[
        text, " ", html.A(t("app.release_policy_link", lang),
                          href=f"/methodology?lang={lang}#releases", id="release-policy-link")])]


def _banners(rel: Release | None, lang: str) -> list[Any]:
    out = []
    if rel is not None and rel.info.synthetic:
        out.append(html.P(t("app.synthetic", lang), className="banner synthetic",
                          id="synthetic-banner", role="note"))
    if rel is not None and rel.stale:
        out.append(html.P(t("app.stale", lang), className="banner stale", role="status"))
    if rel is not None:
        out += _revisions_notice(rel, lang)
    return out


def _store() -> ReleaseStore:
    """The release store of the app serving the current request."""
    return flask.current_app.config["RELEASE_STORE"]


def _settings() -> Settings:
    """The settings of the app serving the current request."""
    return flask.current_app.config["SETTINGS"]


def _layout() -> html.Div:
    return html.Div(id="app", children=[
        dcc.Location(id="url", refresh="callback-nav"),
        dcc.Store(id="synced", data=None),
        dcc.Store(id="shell-key", data=None),
        dcc.Store(id="content-key", data=None),
        dcc.Store(id="lang-store", data=DEFAULT_LANG),
        dcc.Download(id="download"),
        html.Div(id="lang-sink", hidden=True),
        html.Header(id="header", className="site-header"),
        html.Div(id="banners"),
        html.Main(id="main", tabIndex=-1, children=[
            html.H1(id="page-title"),
            html.Button(id="filters-toggle", className="filters-toggle", n_clicks=0,
                        **{"aria-expanded": "false", "aria-controls": "controls"}),
            html.Div(id="controls", className="controls collapsed"),
            dcc.Loading(html.Div(id="page-content"), type="dot", delay_show=400),
        ]),
        html.Footer(id="footer", className="site-footer"),
    ])


# --- callbacks (registered by create_app; the store and settings come from the Flask app) ---

def render_header(pathname: str | None, search: str | None) -> list[Any]:
    return _header(pathname or "/", search, lang_of(search))


def render_shell(pathname: str | None, search: str | None, synced: str | None,
                 shell_key: list | None) -> tuple:
    lang = lang_of(search)
    page = page_for(pathname)
    if page is None:
        return ([], t("err.404", lang), [], _footer(None, lang), None, lang)
    if not access.allowed(page.AUDIENCE):
        return ([], _denied_title(lang), [], _footer(None, lang), None, lang)
    store = _store()
    try:
        rel = release_for(store, search)
        params = full_params(page, rel, search)
    except Unavailable as error:
        log.warning("dashboard maintenance: %s", error)
        return ([], t("app.maintenance.title", lang), [], _footer(None, lang), None, lang)
    key = [pathname, lang, rel.release_id, *[params.get(k) for k in page.CONTROL_KEYS]]
    if key == shell_key and (search or "") == (synced or ""):
        raise PreventUpdate
    return (_banners(rel, lang) + _past_banner(store, rel, search, pathname, lang),
            t(page.TITLE_KEY, lang),
            page_controls(rel, page, params), _footer(rel, lang), key, lang)


def sync_url(values: list[Any], search: str | None, pathname: str | None) -> tuple:
    names = [item["id"]["name"] for item in ctx.inputs_list[0]]
    if not names:
        raise PreventUpdate
    params = parse_search(search)
    for name, value in zip(names, values, strict=True):
        if value is not None:
            params[name] = value
    new = build_search(params)
    if new == (search or ""):
        return no_update, new
    return new, new


def render_content(pathname: str | None, search: str | None,
                   shown_key: list | None = None) -> tuple[list[Any], list | None]:
    lang = lang_of(search)
    if page_for(pathname) is None:
        return [not_found(lang)], None
    if not access.allowed(page_for(pathname).AUDIENCE):
        return [denied(pathname, search, lang)], None
    settings, store = _settings(), _store()
    if page_for(pathname) is submit_page:  # per user, never cached per release
        return submit_page.content(settings, store, search, lang), None
    try:
        rel, page, params, shown = page_view(store, pathname, search)
    except Unavailable as error:
        log.warning("dashboard maintenance: %s", error)
        return [maintenance(lang)], None
    key = view_key(pathname, rel, params)
    if key == shown_key:  # e.g. sync_url only wrote the normalised parameters
        raise PreventUpdate
    if page is quality_page:
        return quality_page.report_notice(store.serving_dir, rel.release_id, lang) + \
            list(shown.children) + upload_audit.section(settings, lang, store), key
    return shown.children, key


def download(clicks: list[int | None], pathname: str | None, search: str | None) -> dict:
    trigger = ctx.triggered_id
    if not trigger or not any(clicks) or not ctx.triggered[0].get("value"):
        raise PreventUpdate
    page = page_for(pathname)
    if page is None or not access.allowed(page.AUDIENCE):
        raise PreventUpdate
    if trigger["table"] == upload_audit.NAME:  # read from the data folder, not a release
        return upload_audit_payload(page, search, trigger["fmt"])
    # the file says where the methodology is: on the server that served it
    return download_payload(_store(), pathname, search, trigger["table"], trigger["fmt"],
                            base_url=flask.request.host_url,
                            audience=top_audience(api.audiences()))


def upload_audit_payload(page: Any, search: str | None, fmt: str) -> dict:
    """The upload log's file, for an analyst on the page that shows it (the data-quality
    page) only: any other page or role is refused as other downloads are (no update)."""
    if page is not quality_page or not access.allowed(upload_audit.AUDIENCE):
        raise PreventUpdate
    lang = lang_of(search)
    table, notes, stem = upload_audit.download(_settings(), lang, _store())
    return file_payload(table, notes, stem, fmt, lang)


def _register_callbacks(app: Dash) -> None:
    app.callback(Output("header", "children"),
                 Input("url", "pathname"), Input("url", "search"))(render_header)
    app.callback(
        Output("banners", "children"),
        Output("page-title", "children"), Output("controls", "children"),
        Output("footer", "children"), Output("shell-key", "data"), Output("lang-store", "data"),
        Input("url", "pathname"), Input("url", "search"),
        State("synced", "data"), State("shell-key", "data"))(render_shell)
    app.callback(
        Output("url", "search"), Output("synced", "data"),
        Input({"type": "ctl", "name": ALL}, "value"),
        State("url", "search"), State("url", "pathname"), prevent_initial_call=True)(sync_url)
    app.callback(Output("page-content", "children"), Output("content-key", "data"),
                 Input("url", "pathname"), Input("url", "search"),
                 State("content-key", "data"))(render_content)
    app.callback(Output("download", "data"),
                 Input({"type": "dl", "table": ALL, "fmt": ALL}, "n_clicks"),
                 State("url", "pathname"), State("url", "search"),
                 prevent_initial_call=True)(download)
    app.clientside_callback(
        "function(lang) { document.documentElement.lang = lang || 'pt';"
        " return window.dash_clientside.no_update; }",
        Output("lang-sink", "title"), Input("lang-store", "data"))


def _serve_index_in_request_lang(app: Dash) -> None:
    """The page's ``<html lang>`` is the language asked for in the URL from the first byte,
    so screen readers and the browser never meet the page in the wrong language (the
    clientside callback above then follows switches made inside the app)."""
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        lang = norm_lang(flask.request.args.get("lang")) if flask.has_request_context() \
            else DEFAULT_LANG
        return interpolate(**kwargs).replace("{%lang%}", lang, 1)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]


def _unknown_pages_answer_404(app: Dash) -> None:
    """An address that is no page (Dash's catch-all serves it the app, which then shows "page
    not found") answers HTTP 404, so link checkers, search engines and scripts see it too."""
    catch_all = f"{app.config.routes_pathname_prefix}<path:path>"

    @app.server.after_request
    def _status(response: flask.Response) -> flask.Response:
        rule = flask.request.url_rule
        if rule is not None and rule.rule == catch_all and response.status_code == 200 \
                and page_for(flask.request.path) is None:
            response.status_code = 404
        return response


# --- Flask routes (registered by create_app) -------------------------------------------------

def _unavailable(lang: str) -> flask.Response:
    return flask.Response(t("app.maintenance.body", lang), status=503, mimetype="text/plain")


def results_report() -> flask.Response:
    """Donor route: the printable report (HTML)."""
    args = flask.request.args
    try:
        html_text = report.results_report_html(_store().current(), args.get("rperiod"),
                                               norm_lang(args.get("lang")))
    except Unavailable:
        return _unavailable(norm_lang(args.get("lang")))
    return flask.Response(html_text, mimetype="text/html")


def results_report_pdf() -> flask.Response:
    """Donor route (audience "donor", like /report/results): the PDF of the printable
    report."""
    args = flask.request.args
    lang = norm_lang(args.get("lang"))
    try:
        rel = _store().current()
        pdf = report.results_report_pdf(rel, args.get("rperiod"), lang)
    except (Unavailable, report.PdfUnavailable) as error:
        log.warning("donor report PDF unavailable: %s", error)
        return _unavailable(lang)
    rperiod = results_page.normalise(rel, {"rperiod": args.get("rperiod")})["rperiod"]
    name = report.report_stem(rel, rperiod, lang) + ".pdf"
    return flask.Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def results_report_table(fmt: str) -> flask.Response:
    """Donor route: the report's table with its metadata (CSV header / XLSX notes sheet)."""
    args = flask.request.args
    lang = norm_lang(args.get("lang"))
    try:
        rel = _store().current()
    except Unavailable:
        return _unavailable(lang)
    name, body, mimetype = report.report_table_file(rel, args.get("rperiod"), lang, fmt)
    return flask.Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def map_image() -> flask.Response:
    """The map of the address's parameters as an SVG image file (the map page's download,
    built with the view and cached per release)."""
    search = "?" + flask.request.query_string.decode("utf-8", "replace")
    try:
        rel, _page, _params, shown = page_view(_store(), map_page.PATH, search)
    except Unavailable:
        return _unavailable(lang_of(search))
    image, table = shown.figures.get("map"), shown.tables.get("map")
    if not isinstance(image, str) or table is None:
        return flask.Response(status=404)
    name = metadata.file_stem(rel, table, lang_of(search)) + ".svg"
    return flask.Response(image, mimetype="image/svg+xml", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def healthz() -> flask.Response:
    try:
        rel = _store().current()
    except Unavailable:
        return flask.Response("maintenance", status=503, mimetype="text/plain")
    return flask.Response(rel.release_id, mimetype="text/plain")


def _register_routes(app: Dash) -> None:
    server = app.server
    server.add_url_rule("/report/results", view_func=results_report)
    server.add_url_rule("/report/results.pdf", view_func=results_report_pdf)
    server.add_url_rule("/report/results.<any(csv, xlsx):fmt>", view_func=results_report_table)
    server.add_url_rule("/healthz", view_func=healthz)
    # Browsers ask for /favicon.ico on their own: the icon Dash serves for the page's link
    server.add_url_rule("/favicon.ico", view_func=server.view_functions["/_favicon.ico"])
    server.add_url_rule(map_page.IMAGE_PATH, view_func=map_image)


def create_app(settings: Settings | None = None, store: ReleaseStore | None = None,
               access_settings: access.AccessConfig | None = None) -> Dash:
    """The dashboard. ``access_settings`` default: from the environment (``access_config``)."""
    settings = settings or load_settings()
    store = store or ReleaseStore(settings.serving_dir)
    app = Dash(
        __name__, title="OTSH", update_title=None, serve_locally=True,
        suppress_callback_exceptions=True, assets_folder=str(components.ASSETS_DIR),
        assets_path_ignore=[f"^{components.VENDOR_DIR}$"],  # loaded on request only
        include_assets_files=True, compress=False)
    app.index_string = INDEX
    _serve_index_in_request_lang(app)
    _unknown_pages_answer_404(app)
    app.layout = _layout()
    app.server.config["RELEASE_STORE"] = store
    app.server.config["SETTINGS"] = settings
    _register_callbacks(app)
    _install_page_chrome(app)
    _register_routes(app)
    access.install(app.server, access_settings or access.access_config(
        data_dir=settings.data_dir))
    access.protect_routes(app.server, access.ROUTE_AUDIENCES)
    api.install(app.server, store)  # /api/v1/… (read API over published releases)
    submit_page.register(app, settings, store)  # partners' uploads (before hardening)
    hardening.install(app)
    _register_component_paths(app)
    return app


def not_found(lang: str) -> html.Div:
    """The 404 content: what happened and a link home (language kept)."""
    return html.Div(id="not-found", children=[
        html.P(t("app.not_found_body", lang)),
        html.P(dcc.Link(t("app.not_found_home", lang), href="/" + build_search({"lang": lang}),
                        className="btn-link", id="home-link")),
    ])


def _install_page_chrome(app: Dash) -> None:
    """Browser tab title per page ("Tendências · OTSH") and the phone's filter panel toggle
    (collapsed by default on small screens; CSS ignores it on wide ones)."""
    app.clientside_callback(
        "function(title) { if (title) { document.title = title + ' · OTSH'; }"
        " return window.dash_clientside.no_update; }",
        Output("lang-sink", "lang"), Input("page-title", "children"))

    @app.callback(Output("controls", "className"), Output("filters-toggle", "children"),
                  Output("filters-toggle", "aria-expanded"),
                  Input("filters-toggle", "n_clicks"), Input("lang-store", "data"))
    def toggle_filters(clicks: int | None, lang: str | None) -> tuple[str, str, str]:
        is_open = (clicks or 0) % 2 == 1
        return ("controls" if is_open else "controls collapsed",
                ("▾ " if is_open else "▸ ") + t("app.filters", norm_lang(lang)),
                "true" if is_open else "false")


def _register_component_paths(app: Dash) -> None:
    """Dash learns which JavaScript files it may serve in its first-request set-up, which it
    marks done before it finishes: under gunicorn's threaded workers, a request for React that
    arrived during that set-up was answered 500. Doing the set-up (and one index render) here,
    in every process that creates the app, registers the paths before any request."""
    with app.server.test_request_context("/"):
        app._setup_server()
        app.index()


def download_payload(store: ReleaseStore, pathname: str | None, search: str | None,
                     name: str, fmt: str, base_url: str = "", audience: str = "public") -> dict:
    """``dcc.Download`` data for table ``name`` of the page at the URL, as CSV or XLSX; with
    ``base_url`` (the server's address) its notes give the methodology's absolute address;
    ``audience``: the reader's (what the notes count)."""
    try:
        rel, _page, _params, shown = page_view(store, pathname, search)
    except (Unavailable, LookupError) as error:
        raise PreventUpdate from error
    table = shown.tables.get(name)
    if table is None:
        raise PreventUpdate
    lang = lang_of(search)
    notes = metadata.notes(rel, table, lang, period_text=_period_text(table, lang),
                           base_url=base_url, audience=audience)
    return file_payload(table, notes, metadata.file_stem(rel, table, lang), fmt, lang)


def file_payload(table: exports.Table, notes: list[tuple[str, str]], stem: str, fmt: str,
                 lang: str) -> dict:
    """``dcc.Download`` data of ``table`` and its ``notes``: XLSX (notes on their own sheet)
    or else CSV with a BOM (notes after the table), saved as ``stem``."""
    if fmt == "xlsx":
        return dcc.send_bytes(exports.to_xlsx([table], notes, t("dl.notes", lang)),
                              f"{stem}.xlsx")
    return {"content": "\ufeff" + exports.to_csv(table, notes), "filename": f"{stem}.csv",
            "type": "text/csv", "base64": False}


def _period_text(table: exports.Table, lang: str) -> str:
    """The period(s) of a table in words: as the table says them, else from its period
    column (first and last rows)."""
    if table.period_words:
        return table.period_words
    column = t("col.period", lang)
    if column not in table.columns or not table.rows:
        return ""
    index = table.columns.index(column)
    shown = [str(row[index]) for row in table.rows if row[index]]
    if not shown:
        return ""
    return exports.span_words(shown[0], shown[-1])
