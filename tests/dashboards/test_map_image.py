"""The map's image download: the drawn map with its title and legend as an SVG file."""

from __future__ import annotations

from xml.etree import ElementTree

from dashboards import figures, map_svg
from dashboards.app import create_app
from dashboards.figures import MapCell
from indicators.release_reader import ReleaseStore
from indicators.settings import Settings

SVG = "{http://www.w3.org/2000/svg}"


def test_the_image_file_has_the_title_the_districts_and_the_legend():
    cells = [MapCell("PT-01", "Aveiro", 12.0, ""), MapCell("PT-02", "Beja", None, "c"),
             MapCell("PT-30", "Madeira", 3.0, "p")]
    layers = figures.map_layers(cells, "rate_100k", "en")
    root = ElementTree.fromstring(map_svg.image_file(layers, "rate_100k", "en", "A & B"))
    texts = [e.text for e in root.iter(f"{SVG}text")]
    assert texts[0] == "A & B"  # the title, above the map
    assert "per 100,000 residents" in texts and "Confidential (c)" in texts
    assert "Not available (:)" not in texts  # no such district: no legend entry
    districts = {a.get("data-district") for a in root.iter(f"{SVG}a")}
    assert districts == {"PT-01", "PT-02", "PT-30"}
    assert all(a.get("href") is None for a in root.iter(f"{SVG}a"))  # no links in a file


def test_the_map_page_serves_its_image_as_an_svg_attachment(settings: Settings,
                                                             store: ReleaseStore) -> None:
    client = create_app(settings, store).server.test_client()
    response = client.get("/download/map.svg?lang=en&indicator=THB_SIGNALLED")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="otsh_map_')
    assert "_en_" in disposition and disposition.endswith('.svg"')
    root = ElementTree.fromstring(response.get_data())
    assert len(list(root.iter(f"{SVG}a"))) == 20  # every district, the islands included
    titles = [e.text for e in root.iter(f"{SVG}text")]
    assert any("by district" in (text or "") for text in titles)


def test_estimated_districts_are_hatched_with_a_legend_entry():
    """Flag ``e`` (a rate on an estimated population) is hatched over the class colour, on
    the page's map and in the image file, with its own legend entry; confidential and
    not-available districts are never hatched (they have no value)."""
    cells = [MapCell("PT-01", "Aveiro", 12.0, "e"), MapCell("PT-02", "Beja", 4.0, "ep"),
             MapCell("PT-03", "Braga", 5.0, "p"), MapCell("PT-04", "Bragança", None, "c"),
             MapCell("PT-05", "Castelo Branco", None, ":")]
    layers = figures.map_layers(cells, "rate_100k", "pt")
    for svg in (map_svg.map_svg(layers, "rate_100k", "pt", "t", {}),
                map_svg.image_file(layers, "rate_100k", "pt", "t")):
        root = ElementTree.fromstring(svg)
        assert root.find(f".//{SVG}pattern[@id='{map_svg.HATCH_ID}']") is not None
        hatched = {a.get("data-district") for a in root.iter(f"{SVG}a")
                   if a.find(f"{SVG}path[@class='est-hatch']") is not None}
        assert hatched == {"PT-01", "PT-02"}
    texts = [e.text for e in ElementTree.fromstring(
        map_svg.image_file(layers, "rate_100k", "pt", "t")).iter(f"{SVG}text")]
    assert "Estimado (e)" in texts
    html_legend = str(map_svg.legend(layers, "rate_100k", "en"))
    assert "Estimated (e)" in html_legend and "swatch est" in html_legend


def test_no_hatching_legend_without_estimated_values():
    layers = figures.map_layers([MapCell("PT-01", "Aveiro", 12.0, "p")], "rate_100k", "en")
    assert "Estimated (e)" not in str(map_svg.legend(layers, "rate_100k", "en"))
    assert "est-hatch" not in map_svg.map_svg(layers, "rate_100k", "en", "t", {})


def test_the_image_file_carries_its_source_release_and_synthetic_warning(
        settings: Settings, store: ReleaseStore) -> None:
    """A file travels without the page: the source line (population for rates), the release
    and, for synthetic data, the banner's warning are written under the legend, inside the
    drawing (a user review found a downloaded map with none of them)."""
    rel = store.current()
    assert rel.info.synthetic  # the fixture release is synthetic
    client = create_app(settings, store).server.test_client()
    for lang, source, population, fictitious in (
            ("en", "Source:", "population:", "fictitious"),
            ("pt", "Fonte:", "população:", "fictícios")):
        response = client.get(f"/download/map.svg?lang={lang}&indicator=THB_SIGNALLED_RATE")
        assert response.status_code == 200
        root = ElementTree.fromstring(response.get_data())
        height = float(root.get("viewBox").split()[3])
        footer = [e for e in root.iter(f"{SVG}text") if float(e.get("y", 0)) > 700]
        words = " ".join(e.text for e in footer)
        assert source in words and rel.release_id in words, words
        assert population in words and fictitious in words, words
        assert all(float(e.get("y")) < height for e in footer)  # inside the drawing
        assert all(len(e.text) <= map_svg.FOOTER_CHARS for e in footer)
