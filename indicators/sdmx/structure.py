"""The SDMX-ML 2.1 structure message of the observatory's indicators: code lists, concept
scheme, data structure definition (DSD) and dataflow, built from the registry and the codes
a published release carries (nothing else)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.etree import ElementTree as ET

import polars as pl

from indicators.contract import load_contract
from indicators.contract.labels import code_labels
from indicators.registry import GRAINS, load_registry
from indicators.sdmx import codes

AGENCY = "OTSH"
VERSION = "1.0"
DSD_ID = "DSD_OTSH_INDICATORS"
DATAFLOW_ID = "DF_OTSH_INDICATORS"
CONCEPT_SCHEME = "CS_OTSH"
DATAFLOW_URN = f"{AGENCY}:{DATAFLOW_ID}({VERSION})"

NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# (concept id, name PT, name EN, codelist id or None)
DIMENSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("INDICATOR", "Indicador", "Indicator", "CL_INDICATOR"),
    ("REF_AREA", "Área de referência", "Reference area", "CL_AREA"),
    ("BREAKDOWN", "Desagregação", "Breakdown", "CL_BREAKDOWN"),
    ("CATEGORY", "Categoria da desagregação", "Breakdown category", "CL_CATEGORY"),
    ("GRAIN", "Agregação temporal", "Time aggregation", "CL_GRAIN"),
)
TIME_DIMENSION = ("TIME_PERIOD", "Período de referência", "Reference period")
MEASURE = ("OBS_VALUE", "Valor da observação", "Observation value")
ATTRIBUTES: tuple[tuple[str, str, str, str | None, bool], ...] = (
    # (id, name PT, name EN, codelist, mandatory)
    ("UNIT_MEASURE", "Unidade de medida", "Unit of measure", "CL_UNIT_MEASURE", True),
    ("DECIMALS", "Casas decimais mostradas", "Decimals shown", "CL_DECIMALS", True),
    ("OBS_STATUS", "Estado da observação", "Observation status", "CL_OBS_STATUS", True),
    ("CONF_STATUS", "Estado de confidencialidade", "Confidentiality status",
     "CL_CONF_STATUS", True),
    ("OBS_FLAG", "Sinais da observação (letras Eurostat: c e p r z :)",
     "Observation flags (Eurostat letters: c e p r z :)", None, False),
)
GRAIN_NAMES: dict[str, tuple[str, str]] = {
    "month": ("Mês", "Month"), "quarter": ("Trimestre", "Quarter"), "year": ("Ano", "Year"),
    "r12": ("12 meses móveis", "Rolling 12 months"),
    "ytd": ("Ano até à data", "Year to date"),
}
UNIT_NAMES: dict[str, tuple[str, str]] = {
    "persons": ("Pessoas", "Persons"), "sessions": ("Sessões", "Sessions"),
    "documents": ("Documentos", "Documents"), "percent": ("Percentagem", "Percent"),
    "rate_100k": ("Por 100 000 habitantes", "Per 100,000 residents"),
}


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _names(parent: ET.Element, pt: str, en: str) -> None:
    for lang, text in (("en", en), ("pt", pt)):
        name = ET.SubElement(parent, _q("com", "Name"))
        name.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
        name.text = text


def _maintainable(parent: ET.Element, tag: str, ident: str, pt: str, en: str) -> ET.Element:
    element = ET.SubElement(parent, _q("str", tag), id=ident, agencyID=AGENCY,
                            version=VERSION, isFinal="true")
    _names(element, pt, en)
    return element


def _ref(parent: ET.Element, ident: str, package: str, cls: str, **extra: str) -> None:
    ET.SubElement(parent, "Ref", id=ident, agencyID=AGENCY, version=VERSION,
                  package=package, **{"class": cls}, **extra)


def _codelist(parent: ET.Element, ident: str, pt: str, en: str,
              items: Iterable[tuple[str, str, str]]) -> None:
    codelist = _maintainable(parent, "Codelist", ident, pt, en)
    for code, name_pt, name_en in items:
        _names(ET.SubElement(codelist, _q("str", "Code"), id=code), name_pt, name_en)


def _category_items(values: pl.DataFrame) -> list[tuple[str, str, str]]:
    """One code per category the release carries; a code shared by several breakdowns with
    different labels names each (``saúde (Tipo de apoio); …``)."""
    registry = load_registry()
    columns = load_contract().columns
    labels: dict[str, dict[tuple[str, str], list[str]]] = {}
    pairs = values.select("breakdown", "breakdown_code").unique().sort("breakdown_code",
                                                                         "breakdown")
    for breakdown, code in pairs.iter_rows():
        known = code_labels(breakdown) if breakdown in columns else {}
        reg = registry.code_labels.get(code)
        pair = (reg["pt"], reg["en"]) if reg else known.get(code, (code, code))
        labels.setdefault(code, {}).setdefault(pair, []).append(breakdown)
    items = []
    for code, by_label in labels.items():
        if len(by_label) == 1:
            (pt, en), = by_label
        else:
            pt = "; ".join(f"{p} ({_bd(registry, b, 'pt')})" for (p, _), bs in by_label.items()
                           for b in bs)
            en = "; ".join(f"{e} ({_bd(registry, b, 'en')})" for (_, e), bs in by_label.items()
                           for b in bs)
        items.append((codes.code_id(code), pt, en))
    return items


def _bd(registry, breakdown: str, lang: str) -> str:
    pair = registry.breakdown_labels.get(breakdown)
    return pair[lang] if pair else breakdown


def codelist_items(indicators: pl.DataFrame, values: pl.DataFrame
                   ) -> dict[str, list[tuple[str, str, str]]]:
    """Every code list of the DSD: id -> [(code, name PT, name EN)]."""
    registry = load_registry()
    breakdowns = sorted(set(values["breakdown"].to_list()) | {"_T"})
    units = sorted(set(indicators["unit"].to_list()) | set(values["unit"].to_list()))
    return {
        "CL_INDICATOR": [(r["code"], r["name_pt"], r["name_en"])
                         for r in indicators.sort("code").iter_rows(named=True)],
        "CL_AREA": [v for _geo, v in sorted(codes.area_names().items())],
        "CL_BREAKDOWN": [(b, _bd(registry, b, "pt"), _bd(registry, b, "en"))
                         for b in breakdowns],
        "CL_CATEGORY": _category_items(values),
        "CL_GRAIN": [(g, *GRAIN_NAMES[g]) for g in GRAINS],
        "CL_UNIT_MEASURE": [(u, *UNIT_NAMES.get(u, (u, u))) for u in units],
        "CL_OBS_STATUS": [(c, *n) for c, n in codes.OBS_STATUS.items()],
        "CL_CONF_STATUS": [(c, *n) for c, n in codes.CONF_STATUS.items()],
        "CL_DECIMALS": [(c, *n) for c, n in codes.DECIMALS.items()],
    }


CODELIST_NAMES: dict[str, tuple[str, str]] = {
    "CL_INDICATOR": ("Indicadores do OTSH", "OTSH indicators"),
    "CL_AREA": ("Áreas de referência (NUTS 2024 ou ISO 3166-2)",
                "Reference areas (NUTS 2024 or ISO 3166-2)"),
    "CL_BREAKDOWN": ("Desagregações", "Breakdowns"),
    "CL_CATEGORY": ("Categorias das desagregações", "Breakdown categories"),
    "CL_GRAIN": ("Agregações temporais", "Time aggregations"),
    "CL_UNIT_MEASURE": ("Unidades de medida", "Units of measure"),
    "CL_OBS_STATUS": ("Estado da observação (subconjunto de SDMX CL_OBS_STATUS)",
                      "Observation status (subset of SDMX CL_OBS_STATUS)"),
    "CL_CONF_STATUS": ("Confidencialidade (subconjunto de SDMX CL_CONF_STATUS)",
                       "Confidentiality status (subset of SDMX CL_CONF_STATUS)"),
    "CL_DECIMALS": ("Casas decimais (subconjunto de SDMX CL_DECIMALS)",
                    "Decimals (subset of SDMX CL_DECIMALS)"),
}


def _concept_identity(parent: ET.Element, concept: str) -> None:
    identity = ET.SubElement(parent, _q("str", "ConceptIdentity"))
    _ref(identity, concept, "conceptscheme", "Concept",
         maintainableParentID=CONCEPT_SCHEME, maintainableParentVersion=VERSION)
    identity.find("Ref").attrib.pop("version")


def _enumeration(parent: ET.Element, codelist: str) -> None:
    rep = ET.SubElement(parent, _q("str", "LocalRepresentation"))
    _ref(ET.SubElement(rep, _q("str", "Enumeration")), codelist, "codelist", "Codelist")


def _dsd(parent: ET.Element) -> None:
    dsd = _maintainable(parent, "DataStructure", DSD_ID, "Indicadores do OTSH",
                        "OTSH indicators")
    comps = ET.SubElement(dsd, _q("str", "DataStructureComponents"))
    dims = ET.SubElement(comps, _q("str", "DimensionList"), id="DimensionDescriptor")
    for position, (concept, _pt, _en, codelist) in enumerate(DIMENSIONS, start=1):
        dim = ET.SubElement(dims, _q("str", "Dimension"), id=concept, position=str(position))
        _concept_identity(dim, concept)
        _enumeration(dim, codelist)
    time = ET.SubElement(dims, _q("str", "TimeDimension"), id=TIME_DIMENSION[0],
                         position=str(len(DIMENSIONS) + 1))
    _concept_identity(time, TIME_DIMENSION[0])
    rep = ET.SubElement(time, _q("str", "LocalRepresentation"))
    ET.SubElement(rep, _q("str", "TextFormat"), textType="ObservationalTimePeriod")
    attrs = ET.SubElement(comps, _q("str", "AttributeList"), id="AttributeDescriptor")
    for ident, _pt, _en, codelist, mandatory in ATTRIBUTES:
        attr = ET.SubElement(attrs, _q("str", "Attribute"), id=ident,
                             assignmentStatus="Mandatory" if mandatory else "Conditional")
        _concept_identity(attr, ident)
        if codelist:
            _enumeration(attr, codelist)
        rel = ET.SubElement(attr, _q("str", "AttributeRelationship"))
        ET.SubElement(rel, _q("str", "PrimaryMeasure")).text = MEASURE[0]
    measures = ET.SubElement(comps, _q("str", "MeasureList"), id="MeasureDescriptor")
    _concept_identity(ET.SubElement(measures, _q("str", "PrimaryMeasure"), id=MEASURE[0]),
                      MEASURE[0])


def structure_xml(indicators: pl.DataFrame, values: pl.DataFrame, release_id: str,
                  prepared: datetime) -> bytes:
    """The SDMX-ML 2.1 structure message (UTF-8 bytes) for a release's ``indicators`` rows
    and ``indicator_values``."""
    root = ET.Element(_q("mes", "Structure"))
    header = ET.SubElement(root, _q("mes", "Header"))
    ET.SubElement(header, _q("mes", "ID")).text = f"OTSH_STRUCTURE_{release_id}".replace(
        "-", "_")
    ET.SubElement(header, _q("mes", "Test")).text = "false"
    ET.SubElement(header, _q("mes", "Prepared")).text = prepared.strftime("%Y-%m-%dT%H:%M:%S")
    ET.SubElement(header, _q("mes", "Sender"), id=AGENCY)
    structures = ET.SubElement(root, _q("mes", "Structures"))
    flows = ET.SubElement(structures, _q("str", "Dataflows"))
    flow = _maintainable(flows, "Dataflow", DATAFLOW_ID,
                         "Indicadores do Observatório do Tráfico de Seres Humanos",
                         "Indicators of the Observatory on Trafficking in Human Beings")
    _ref(ET.SubElement(flow, _q("str", "Structure")), DSD_ID, "datastructure",
         "DataStructure")
    lists = ET.SubElement(structures, _q("str", "Codelists"))
    for ident, items in codelist_items(indicators, values).items():
        _codelist(lists, ident, *CODELIST_NAMES[ident], items)
    schemes = ET.SubElement(structures, _q("str", "Concepts"))
    scheme = _maintainable(schemes, "ConceptScheme", CONCEPT_SCHEME, "Conceitos do OTSH",
                           "OTSH concepts")
    concepts = [(c, pt, en) for c, pt, en, _ in DIMENSIONS] + [TIME_DIMENSION, MEASURE] + [
        (a, pt, en) for a, pt, en, _, _ in ATTRIBUTES]
    for concept, pt, en in concepts:
        _names(ET.SubElement(scheme, _q("str", "Concept"), id=concept), pt, en)
    _dsd(ET.SubElement(structures, _q("str", "DataStructures")))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
