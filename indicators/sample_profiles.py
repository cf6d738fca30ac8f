"""Distributions behind the SYNTHETIC sample returns, and the published facts they follow.

Published figures used (OTSH annual reports / RASI, as compiled in the project's reference
notes, November 2026):

- Presumed victims signalled in Portugal: 2020: 229 · 2021: 318 (+38.9%) · 2022: 358–378 ·
  2023: 650 (622 in Portugal, 15 Portuguese abroad). Later years are not published here:
  the sample grows them moderately (+7% a year).
- Confirmed victims are few and lag: 2018: 49 · 2019: 44 · 2020: 13 · 2021: 6.
- Labour exploitation dominates recent years (82.7% in 2023; sexual exploitation 1.7% of
  OTSH's 2023 signals); minors about 25–36 a year.
- Districts with most signals: Beja, Lisboa, Porto, Setúbal, Leiria, Évora, Faro.
- Top citizenships in 2023: Brazil, Colombia, Timor-Leste, Nepal. Projects focused on
  sexual exploitation see mostly women, adults, Brazilian, Portuguese, Romanian, Nigerian
  and Colombian citizens.

Everything here is invented around those facts: no real case is represented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# National presumed victims per year (all partners' victims returns together).
ANNUAL_VICTIMS: dict[int, int] = {2020: 229, 2021: 318, 2022: 368, 2023: 650}
GROWTH_AFTER_2023 = 1.07
MINORS_PER_YEAR = 30  # published: about 25–36

# Seasonal factor by month (agricultural labour peaks from spring to early autumn).
SEASON = {1: 0.75, 2: 0.75, 3: 0.85, 4: 0.95, 5: 1.1, 6: 1.2, 7: 1.25, 8: 1.25,
          9: 1.2, 10: 1.05, 11: 0.85, 12: 0.8}


def annual_victims(year: int) -> float:
    if year in ANNUAL_VICTIMS:
        return float(ANNUAL_VICTIMS[year])
    if year < min(ANNUAL_VICTIMS):
        return float(ANNUAL_VICTIMS[min(ANNUAL_VICTIMS)])
    return ANNUAL_VICTIMS[2023] * GROWTH_AFTER_2023 ** (year - 2023)


# Share of the national victims total that each partner's victims return carries.
VICTIMS_SHARE: dict[str, float] = {
    "OTSH": 0.84, "DGS": 0.02, "IEFP": 0.02, "APF": 0.03, "ONINHO": 0.025,
    "FMS": 0.025, "OSIO": 0.02, "NADHEIM": 0.02,
}

Weights = dict[str, float]

# Districts (ISO 3166-2:PT) by kind of exploitation.
LABOUR_DISTRICTS: Weights = {
    "PT-02": 0.27, "PT-11": 0.14, "PT-15": 0.10, "PT-13": 0.08, "PT-08": 0.09,
    "PT-10": 0.07, "PT-07": 0.08, "PT-14": 0.05, "PT-12": 0.02, "PT-05": 0.01,
    "PT-06": 0.02, "PT-01": 0.02, "PT-03": 0.01, "PT-18": 0.01, "PT-20": 0.005,
    "PT-30": 0.005, "ABROAD": 0.02, "UNKNOWN": 0.01,
}
SEXUAL_DISTRICTS: Weights = {
    "PT-11": 0.38, "PT-13": 0.22, "PT-08": 0.12, "PT-15": 0.10, "PT-03": 0.04,
    "PT-06": 0.04, "PT-10": 0.04, "PT-01": 0.03, "UNKNOWN": 0.03,
}
OTHER_DISTRICTS: Weights = {
    "PT-11": 0.35, "PT-13": 0.25, "PT-15": 0.10, "PT-08": 0.10, "PT-03": 0.08,
    "PT-01": 0.07, "ABROAD": 0.05,
}

LABOUR_CITIZENSHIP: Weights = {
    "NP": 0.18, "IN": 0.14, "TL": 0.12, "BR": 0.13, "PT": 0.06, "BD": 0.07, "PK": 0.06,
    "MA": 0.05, "RO": 0.05, "UA": 0.04, "SN": 0.03, "CO": 0.03, "UNKNOWN": 0.04,
}
SEXUAL_CITIZENSHIP: Weights = {
    "BR": 0.35, "PT": 0.15, "RO": 0.12, "NG": 0.10, "CO": 0.10, "VE": 0.05, "PY": 0.03,
    "UA": 0.03, "UNKNOWN": 0.04, "STATELESS": 0.01, "AO": 0.02,
}
OTHER_CITIZENSHIP: Weights = {
    "RO": 0.30, "BG": 0.10, "PT": 0.20, "BR": 0.15, "MD": 0.08, "NG": 0.07, "UNKNOWN": 0.10,
}

LABOUR_SEX: Weights = {"M": 0.82, "F": 0.17, "U": 0.01}
SEXUAL_SEX: Weights = {"F": 0.90, "M": 0.06, "X": 0.03, "U": 0.01}
OTHER_SEX: Weights = {"F": 0.50, "M": 0.48, "U": 0.02}

ADULT_AGE: Weights = {"18-24": 0.20, "25-34": 0.37, "35-44": 0.25, "45-54": 0.12,
                      "55+": 0.04, "UNKNOWN": 0.02}
SEXUAL_AGE: Weights = {"18-24": 0.30, "25-34": 0.36, "35-44": 0.20, "45-54": 0.08,
                       "55+": 0.02, "UNKNOWN": 0.04}
MINOR_AGE: Weights = {"12-17": 0.75, "0-11": 0.25}

STATUS: Weights = {"presumed": 0.86, "not_confirmed": 0.11, "confirmed": 0.03}
OTSH_SIGNALLED_BY: Weights = {
    "police": 0.42, "ngo": 0.20, "employment": 0.08, "social_services": 0.08, "health": 0.04,
    "hotline": 0.07, "self": 0.04, "other": 0.04, "unknown": 0.03,
}
NGO_SIGNALLED_BY: Weights = {"ngo": 0.70, "self": 0.10, "police": 0.10, "health": 0.05,
                             "social_services": 0.05}
OTHER_EXPLOITATION: Weights = {"begging": 0.25, "servitude": 0.25, "criminality": 0.2,
                               "marriage": 0.08, "other": 0.14, "unknown": 0.08}


def otsh_exploitation(year: int) -> Weights:
    """Labour rising to dominate (82.7% in 2023); sexual shrinking, ever more online."""
    labour = {2021: 0.70, 2022: 0.76, 2023: 0.83}.get(year, 0.70 if year < 2021 else 0.82)
    sexual = {2021: 0.18, 2022: 0.13, 2023: 0.07}.get(year, 0.18 if year < 2021 else 0.08)
    online = online_share(year)
    rest = max(0.0, 1.0 - labour - sexual)
    weights = {"labour": labour,
               "sexual_prostitution": sexual * (1 - online) * 0.9,
               "sexual_other": sexual * (1 - online) * 0.05,
               "sexual_pornography": sexual * (1 - online) * 0.05,
               "sexual_online": sexual * online}
    weights.update({k: v * rest for k, v in OTHER_EXPLOITATION.items()})
    return weights


def online_share(year: int) -> float:
    """Share of sexual exploitation that is online: rising every year."""
    return min(0.7, 0.15 + 0.10 * max(0, year - 2021))


def ngo_exploitation(year: int) -> Weights:
    online = online_share(year)
    return {"sexual_prostitution": 0.85 * (1 - online), "sexual_online": 0.85 * online,
            "sexual_other": 0.05, "labour": 0.07, "servitude": 0.03}


@dataclass(frozen=True)
class PartnerProfile:
    """What a partner sends and how its files look."""

    code: str
    sends: tuple[str, ...]
    kind: str  # otsh | sexual_ngo | health | employment
    file_format: str  # csv | xlsx
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | cp1252
    delimiter: str = ","
    headers: str = "canonical"  # canonical | portuguese | portuguese_plain | title
    line_end: str = "\n"
    districts: Weights = field(default_factory=dict)  # home districts (support, activities)


PROFILES: dict[str, PartnerProfile] = {
    "OTSH": PartnerProfile("OTSH", ("victims",), "otsh", "csv",
                           districts={"PT-11": 1.0}),
    "DGS": PartnerProfile("DGS", ("victims", "activities"), "health", "xlsx",
                          districts={"PT-11": 0.35, "PT-13": 0.2, "PT-06": 0.1, "PT-08": 0.1,
                                     "PT-02": 0.08, "PT-07": 0.07, "PT-15": 0.1}),
    "IEFP": PartnerProfile("IEFP", ("victims", "activities"), "employment", "csv",
                           encoding="cp1252", delimiter=";", headers="portuguese",
                           line_end="\r\n",
                           districts={"PT-11": 0.25, "PT-13": 0.2, "PT-02": 0.15,
                                      "PT-08": 0.1, "PT-10": 0.1, "PT-15": 0.1, "PT-07": 0.1}),
    "APF": PartnerProfile("APF", ("victims", "support", "activities"), "sexual_ngo", "csv",
                          encoding="utf-8-sig", delimiter=";", headers="portuguese_plain",
                          districts={"PT-11": 0.35, "PT-13": 0.2, "PT-08": 0.15,
                                     "PT-15": 0.1, "PT-06": 0.1, "PT-07": 0.05, "PT-02": 0.05}),
    "ONINHO": PartnerProfile("ONINHO", ("victims", "support"), "sexual_ngo", "xlsx",
                             districts={"PT-11": 0.6, "PT-13": 0.4}),
    "FMS": PartnerProfile("FMS", ("victims", "support"), "sexual_ngo", "csv",
                          encoding="cp1252", delimiter=";", headers="portuguese",
                          line_end="\r\n", districts={"PT-11": 0.5, "PT-08": 0.3,
                                                      "PT-15": 0.2}),
    "OSIO": PartnerProfile("OSIO", ("victims", "support"), "sexual_ngo", "csv",
                           headers="title", districts={"PT-11": 0.7, "PT-15": 0.3}),
    "NADHEIM": PartnerProfile("NADHEIM", ("victims", "support"), "sexual_ngo", "csv",
                              encoding="utf-8-sig", districts={"PT-11": 0.9, "PT-15": 0.1}),
}

# Header spellings partners use (all accepted by the contract's aliases).
PORTUGUESE_HEADERS = {
    "partner": "Parceiro", "period": "Período", "district": "Distrito", "sex": "Sexo",
    "age_group": "Grupo etário", "citizenship": "Nacionalidade", "exploitation": "Exploração",
    "status": "Estado", "signalled_by": "Sinalizado por", "support": "Apoio", "case": "Caso",
    "activity": "Atividade", "audience": "Público", "count": "Contagem",
}
PORTUGUESE_PLAIN_HEADERS = {
    "partner": "parceiro", "period": "periodo", "district": "distrito", "sex": "sexo",
    "age_group": "grupo_etario", "citizenship": "nacionalidade", "exploitation": "exploracao",
    "status": "estado", "signalled_by": "sinalizado_por", "support": "apoio", "case": "caso",
    "activity": "atividade", "audience": "publico", "count": "contagem",
}

# Support given to a person in a month (independent probabilities).
SUPPORT_PROBABILITY: Weights = {
    "social": 0.8, "psychological": 0.65, "legal": 0.4, "health": 0.4, "shelter": 0.25,
    "employment_training": 0.2, "education": 0.05, "other": 0.05,
}
MIGRANT_SUPPORT_PROBABILITY: Weights = {"regularisation": 0.25, "asylum": 0.06,
                                        "voluntary_return": 0.03}
MONTHLY_EXIT_PROBABILITY = 0.12  # mean time in support about 8 months
REFERRALS_PER_MONTH = 0.8  # persons taken in besides the partner's own signals

# Activities: (mean sessions a month, audience weights).
TRAINING: dict[str, tuple[float, Weights]] = {
    "DGS": (1.5, {"health": 0.8, "social_services": 0.1, "other": 0.1}),
    "IEFP": (1.2, {"employment": 0.8, "migration": 0.1, "social_services": 0.1}),
    "APF": (2.0, {"social_services": 0.25, "ngo": 0.2, "health": 0.2, "police": 0.1,
                  "education": 0.15, "justice": 0.1}),
}
AWARENESS: dict[str, tuple[float, Weights]] = {
    "DGS": (0.5, {"general_public": 0.7, "health": 0.3}),
    "IEFP": (0.8, {"general_public": 0.6, "employment": 0.2, "migration": 0.2}),
    "APF": (1.0, {"general_public": 0.5, "education": 0.5}),
}
GUIDELINES = {"DGS": 0.05, "APF": 0.04}  # chance a month of a guideline developed / tested
VICTIM_INTERVIEWS = {"APF": 1.5}
TRAINEES_FEMALE_SHARE = 0.7
REACHED_FEMALE_SHARE = 0.58   # awareness sessions: share of women among participants
