import pytest

from indicators.contract import load_contract, normalise_header
from indicators.reference import districts


def test_portuguese_aliases_map_to_contract_columns():
    contract = load_contract()
    assert contract.canonical_column(" Grupo Etário ") == "age_group"
    assert contract.canonical_column("SINALIZADO POR") == "signalled_by"
    assert contract.canonical_column("Público") == "audience"
    assert contract.canonical_column("email") is None


def test_return_type_detected_from_header():
    contract = load_contract()
    support = {"partner", "period", "district", "sex", "age_group", "support", "case", "count"}
    assert contract.detect_return_type(support) == "support"
    assert contract.detect_return_type(support | {"nome"}) == "support"


def test_coded_columns_combine_reference_lists_and_extra_codes():
    contract = load_contract()
    district_codes = contract.allowed_codes("district", "victims")
    assert {"PT-01", "PT-18", "PT-20", "PT-30", "ABROAD", "UNKNOWN"} <= set(district_codes)
    assert "NA" in contract.allowed_codes("sex", "activities")
    assert "NA" not in contract.allowed_codes("sex", "victims")
    assert contract.allowed_codes("count", "victims") is None


def test_header_normalisation_strips_bom_accents_and_spaces():
    assert normalise_header("\ufeffPeríodo ") == "periodo"
    assert normalise_header("Grupo-Etário") == "grupo_etario"


def test_district_populations_sum_to_census_national_total():
    assert len(districts()) == 20
    assert sum(d.pop_2021 for d in districts()) == 10_343_066


@pytest.mark.parametrize(("header", "column"), [
    ("genero", "sex"), ("Género", "sex"), ("sex.", "sex"), ("distritos", "district"),
    ("Districts", "district"), ("mes_ano", "period"), ("Periodos", "period"),
    ("agegroup", "age_group"), ("signaled_by", "signalled_by"), ("contagens", "count")])
def test_likely_column_finds_synonyms_and_close_spellings(header, column):
    contract = load_contract()
    assert contract.canonical_column(header) is None  # refused ...
    assert contract.likely_column(header) == column  # ... with the column it means


@pytest.mark.parametrize("header", ["nome", "morada", "telefone", "email", "cidade",
                                    "data_nascimento", "observacoes", "concelho", "notas"])
def test_likely_column_suggests_nothing_for_unrelated_headers(header):
    assert load_contract().likely_column(header) is None


def test_near_names_are_not_accepted_names_and_mean_one_column():
    contract = load_contract()
    seen: dict[str, str] = {}
    for spec in contract.columns.values():
        for near in spec.near_names:
            assert contract.canonical_column(near) is None, near
            assert seen.setdefault(near, spec.name) == spec.name, near
