"""The methodology document, generated from the registry (Portuguese and English).

``docs/methodology.md`` is this module's output, committed; a test checks they are equal.
Regenerate with ``python -m indicators.methodology > docs/methodology.md``.
"""

from __future__ import annotations

import sys

from indicators.eea_results import STATUS_LABELS
from indicators.publish import DEFAULT_RETENTION
from indicators.registry import Indicator, Registry, load_registry

UNITS = {
    "persons": {"pt": "pessoas", "en": "persons"},
    "sessions": {"pt": "sessões", "en": "sessions"},
    "documents": {"pt": "documentos", "en": "documents"},
    "rate_100k": {"pt": "taxa por 100 000 habitantes", "en": "rate per 100,000 residents"},
    "percent": {"pt": "percentagem", "en": "percent"},
}
GRAINS = {
    "month": {"pt": "mês", "en": "month"},
    "quarter": {"pt": "trimestre", "en": "quarter"},
    "year": {"pt": "ano", "en": "year"},
    "r12": {"pt": "12 meses móveis", "en": "rolling 12 months"},
    "ytd": {"pt": "ano até à data", "en": "year to date"},
}
RETURNS = {
    "victims": {"pt": "reporte «vítimas» (pessoas sinalizadas)",
                "en": "«victims» return (persons signalled)"},
    "support": {"pt": "reporte «apoio» (pessoas apoiadas)",
                "en": "«support» return (persons supported)"},
    "activities": {"pt": "reporte «atividades» (formação e prevenção)",
                   "en": "«activities» return (training and prevention)"},
}

TEXT = {
    "pt": {
        "title": "Metodologia",
        "caveat_h": "Aviso: vítimas detetadas não são prevalência",
        "caveat": (
            "Os números descrevem pessoas **sinalizadas** pelas entidades parceiras, não o "
            "número de vítimas existentes. Variações refletem também a capacidade de "
            "deteção, a sensibilização e as práticas de registo; uma subida pode significar "
            "melhor deteção e não mais tráfico. As taxas por 100 000 habitantes (ODS 16.2.2) "
            "são taxas de deteção, não de prevalência."),
        "flags_h": "Sinais (flags)",
        "flags": [
            ("c", "confidencial: valor suprimido pelo controlo de divulgação (nunca "
                  "publicado, nem como zero)"),
            ("z", "não aplicável: o valor não pode existir (ex.: taxa para pessoas "
                  "sinalizadas no estrangeiro; variação percentual sobre zero)"),
            (":", "não disponível: nenhuma entidade reportou ainda o período"),
            ("e", "estimado: taxa por sexo calculada sobre uma população por sexo estimada "
                  "(Braga, Bragança, Porto e Viana do Castelo)"),
            ("p", "provisório: falta pelo menos um reporte esperado para o período"),
            ("r", "revisto: valor diferente do publicado numa versão anterior (mantém o sinal "
                  "enquanto não mudar de novo)"),
        ],
        "flags_note": ("Um zero sem sinal é um zero verdadeiro. Os sinais combinam-se "
                       "(ex.: «pr» provisório e revisto). Cada valor indica a versão "
                       "(release) em que foi calculado."),
        "sdc_h": "Controlo de divulgação (segredo estatístico)",
        "sdc": (
            "Cada contagem publicada sobre vítimas é protegida: contagens de 1 a {k1} "
            "(limiar k = {k}) são confidenciais (supressão primária); outras células são "
            "suprimidas (supressão secundária) para que nenhuma célula confidencial possa "
            "ser recalculada a partir de totais e subtotais publicados, incluindo as somas do "
            "ano até à data. Os totais de 12 meses móveis só são publicados quando os 12 meses "
            "o são (ou quando coincidem com um ano publicado). Os zeros são publicados. "
            "Uma auditoria independente (programação linear e inteira) verifica que um "
            "leitor não consegue "
            "provar o valor nem que uma célula oculta está entre 1 e {k1}. Taxas, proporções "
            "e variações são calculadas apenas a partir de contagens publicadas e são "
            "suprimidas quando o numerador ou o denominador o é."),
        "design_h": "Quadros publicados",
        "design": [
            "Nível nacional: totais por mês, trimestre, ano, 12 meses móveis e ano até à "
            "data; desagregações (sexo, grupo etário, grupo de nacionalidade, país de "
            "nacionalidade, forma de exploração, entidade sinalizadora) só por ano civil, uma "
            "de cada vez: com poucas dezenas de pessoas por mês, desagregações mensais "
            "ficariam quase todas suprimidas.",
            "Distritos (e estrangeiro / desconhecido): por ano civil, total e por sexo; as "
            "pessoas sinalizadas também por trimestre completo e ano até à data no fim de "
            "cada trimestre completo, todos os anos, incluindo o ano corrente. Os meses não "
            "são publicados por distrito, nem o ano até à data no fim de outros meses (dois "
            "anos até à data com um mês de diferença revelariam esse mês). Um distrito com 1 "
            "a {k1} pessoas no ano, ou cujo total anual o quadro "
            "por sexo e estado oculta, não tem trimestres nem ano até à data publicados nesse "
            "ano (seriam todos confidenciais e, combinados com esse quadro, delimitariam o "
            "total oculto), salvo os que uma versão anterior já publicou: continuam "
            "publicados enquanto a sua contagem não mudar (ver a política de versões). "
            "Janelas móveis distritais não são publicadas (duas janelas "
            "sucessivas diferem num só mês e revelariam contagens mensais).",
            "Portugal inclui as pessoas sinalizadas no estrangeiro e em distrito "
            "desconhecido.",
            "Taxas por 100 000 habitantes: distritos com a população dos Censos 2021; "
            "Portugal com a população residente a 1 de janeiro do ano em que o período "
            "termina (o ano mais recente disponível, se ainda não publicado). Publicadas por "
            "ano (e 12 meses móveis a nível nacional); não se publicam taxas mensais ou "
            "trimestrais. Taxas por sexo: população por sexo dos Censos 2021 (INE, quadros "
            "Q01/Q04; Portugal: 5 422 846 mulheres, 4 920 220 homens). Braga, Bragança, "
            "Porto e Viana do Castelo: a repartição por sexo do INE não está disponível, "
            "pelo que é estimada (sinal «e»; uma taxa de zero pessoas é exata e não o "
            "leva): a proporção de mulheres da agregação geoapi-pt "
            "da BGRI 2021 do INE (92,8 % a 99,9 % da população de cada distrito) aplicada ao "
            "total do INE e ajustada (raking) para que os quatro distritos somem exatamente "
            "os homens e mulheres que o total nacional do INE lhes deixa (1 420 396 e "
            "1 565 372); o ajuste moveu cada proporção 0,005 pontos percentuais. Não há taxa "
            "para menores: não se encontrou população residente com menos de 18 anos "
            "verificada (o INE publica os grupos 0-14 e 15-24).",
            "A proteção resolve um problema por ano civil e por desagregação (por distrito: "
            "distrito × sexo × estado por ano, e distrito × trimestre → ano com os anos "
            "até à data); as células partilhadas entre problemas ficam ocultas em todos eles "
            "se o estiverem num; se a auditoria da publicação inteira a recusar, as que um "
            "problema não publica (por exemplo a desagregação de um estado pequeno demais) "
            "ficam fora dela: esse problema foi protegido sem que o leitor as conhecesse.",
            "Auditoria da publicação inteira: além da auditoria de cada problema, todas as "
            "contagens publicadas são analisadas em conjunto, como um leitor as pode combinar "
            "(todos os períodos, distritos → nacional com estrangeiro/desconhecido, "
            "desagregações e grupos, sinalizadas = presumidas + confirmadas + não "
            "confirmadas, apoiadas = migrantes assistidos + outros, numeradores e "
            "denominadores de taxas, proporções e variações). Cada pessoa tem um distrito, "
            "um trimestre e um estado, por isso a auditoria escreve também, como incógnitas, "
            "as contagens distrito × trimestre × estado de que os quadros publicados distrito "
            "× trimestre, distrito × estado (por ano) e trimestre × estado (nacional) são "
            "margens: os três quadros formam um ciclo, e um leitor que use o cubo limita mais "
            "do que um que ligue as células publicadas duas a duas (ninguém confirmado a "
            "nível nacional nos três primeiros trimestres limita as vítimas confirmadas do "
            "ano de um distrito às suas pessoas do quarto). Para cada célula suprimida "
            "calcula-se o intervalo inteiro que o leitor consegue provar (componentes "
            "ligadas, programação linear e inteira). A publicação é recusada se uma célula "
            "confidencial ficar determinada ou limitada a 1–{k1}; uma célula secundária que "
            "o leitor consegue recalcular não protege nada e é publicada. O resumo "
            "(células, suprimidas, intervalos mais estreitos, tempo) é publicado com cada "
            "versão; `observatory audit-release` repete a auditoria a partir do ficheiro "
            "publicado.",
            "Números principais: os totais nacionais anuais de cada indicador protegido e os "
            "totais nacionais trimestrais e mensais de pessoas sinalizadas nunca são "
            "escolhidos como supressões secundárias quando são ≥ {k} (salvo se não existir "
            "outro padrão, ou se a célula já estava oculta na versão anterior com a mesma "
            "contagem: a supressão é estável entre versões; ou se uma revisão a mudou em "
            "menos de {k} pessoas). Depois deles, onde existir um "
            "padrão, mantêm-se publicados os numeradores nacionais anuais das proporções "
            "publicadas (mulheres e raparigas, menores, cidadãos estrangeiros, exploração "
            "sexual e exploração sexual online), para que as proporções o sejam: ao lado de "
            "1–{k1} pessoas de outro sexo ou de sexo desconhecido, a terceira célula oculta "
            "passa a ser a dos homens e não a das mulheres. Onde um estado é pequeno num "
            "trimestre, a repartição por estado desse ano é publicada só por ano; onde um "
            "estado é pequeno demais para ser desagregado sem ocultar o seu total nacional "
            "(ex.: 7 vítimas confirmadas num ano, todas em células de 1 a 4), as suas "
            "desagregações desse ano não são publicadas nesse quadro.",
            "Células nunca publicadas (ex.: pessoas apoiadas sem apoio de migração) fazem "
            "parte dos quadros mas não são confidenciais nem forçam supressões.",
            "Proveniência: cada versão indica os reportes de que é feita (parceiro × tipo "
            "× período × versão). Nada calculado a partir de um ficheiro de um parceiro "
            "(resumo criptográfico, nome, tamanho, número de linhas) é publicado; os "
            "ficheiros rejeitados aparecem com um número de ingestão opaco, as regras e a "
            "linha do primeiro problema, nunca com os valores do parceiro.",
            "Política de versões: cada atualização refaz todo o histórico, mas uma versão "
            "sem dados novos é idêntica à anterior (mesmos valores e sinais). Um valor "
            "publicado continua publicado enquanto a sua contagem não mudar, e um valor "
            "oculto continua oculto; só uma revisão (reporte corrigido ou tardio) pode "
            "mudar um valor (sinal «r»), e só as células em torno do valor revisto podem "
            "mudar de estado. Mantêm-se as últimas {retention} versões "
            "(OBS_RELEASE_RETENTION); a auditoria considera um leitor que as guarda todas "
            "(um valor anterior cuja contagem não mudou conta como conhecido). Uma versão que "
            "oculta, ou deixa de publicar, valores que a anterior publicou diz quantos, em "
            "todas as páginas e no seu resumo.",
            "Revisões entre versões: quando um reporte tardio ou corrigido muda uma contagem "
            "publicada em menos pessoas do que o limiar (de N para N + 3, por exemplo), quem "
            "compare "
            "as duas versões veria um pequeno grupo. Essa contagem é por isso ocultada (c) "
            "como uma célula confidencial, com outras células que a protegem: as supressões "
            "secundárias impedem que o leitor "
            "a situe entre o valor anterior + 1 e o valor anterior + {k1} (ou "
            "abaixo dele): a diferença entre duas versões é protegida como uma tabela de "
            "contagens. Contam todas as versões publicadas, também as que já não estão "
            "disponíveis; uma contagem igual a um valor já publicado não é ocultada de novo. "
            "A verificação antes da publicação recusa uma versão em que uma diferença de 1 "
            "a {k1} pessoas se veja ou se deduza.",
        ],
        "eea_h": "Resultados EEA Grants (PDP7)",
        "eea": (
            "Períodos de reporte: cada ano civil e cada período intercalar ({interim}). "
            "Alcançado no período: soma do indicador nos meses do período. Alcançado até à "
            "data (A): soma do indicador desde {start} até ao fim do período. % da meta = "
            "100 × A / meta. Valor esperado E = base + (meta − base) × "
            "f, com f = meses decorridos desde {start} (incluindo o último mês do período) / "
            "meses até dezembro do ano da meta, no máximo 1. Estado: «{achieved}» se A ≥ "
            "meta («{achieved_late}» se o período termina depois do ano da meta e A em "
            "dezembro desse ano, publicado, estava abaixo da meta); «{not_achieved}» se o "
            "período termina em dezembro do ano da meta ou depois "
            "sem A ≥ meta; «{on_track}» se A ≥ E × (1 − {tol}); caso contrário «{at_risk}». "
            "Mulheres e homens: por ano civil (nos períodos intercalares não disponível)."),
        "illustrative": ("**Atenção:** as bases e metas atuais são ILUSTRATIVAS (valores de "
                         "exemplo), não as metas contratualizadas."),
        "ind_h": "Indicadores",
        "fields": {"code": "Código", "definition": "Definição", "unit": "Unidade",
                   "source": "Fonte", "measure": "Medida", "breakdowns": "Desagregações",
                   "districts": "Distritos", "grains": "Períodos (total nacional)",
                   "grains_b": "Períodos (desagregações nacionais)", "disclosure": "Divulgação",
                   "level": "Nível (quadro de resultados)", "baseline": "Base",
                   "target": "Meta", "sdg": "ODS"},
        "none": "nenhuma",
    },
    "en": {
        "title": "Methodology",
        "caveat_h": "Caveat: detected victims are not prevalence",
        "caveat": (
            "The figures describe persons **signalled** by partner organisations, not the "
            "number of victims that exist. Changes also reflect detection capacity, awareness "
            "and recording practice; a rise may mean better detection, not more trafficking. "
            "Rates per 100,000 residents (SDG 16.2.2) are detection rates, not prevalence."),
        "flags_h": "Flags",
        "flags": [
            ("c", "confidential: value suppressed by disclosure control (never published, "
                  "not even as zero)"),
            ("z", "not applicable: the value cannot exist (e.g. a rate for persons signalled "
                  "abroad; a percentage change on zero)"),
            (":", "not available: no partner has reported the period yet"),
            ("e", "estimated: a rate by sex computed on an estimated population by sex "
                  "(Braga, Bragança, Porto and Viana do Castelo)"),
            ("p", "provisional: at least one expected return for the period is missing"),
            ("r", "revised: the value differs from the one an earlier release published (it "
                  "keeps the flag while it does not change again)"),
        ],
        "flags_note": ("A zero without a flag is a true zero. Flags combine (e.g. \"pr\" "
                       "provisional and revised). Every value carries the release in which "
                       "it was computed."),
        "sdc_h": "Disclosure control",
        "sdc": (
            "Every published count about victims is protected: counts from 1 to {k1} "
            "(threshold k = {k}) are confidential (primary suppression); further cells are "
            "suppressed (secondary suppression) so that no confidential cell can be worked "
            "out from published totals and subtotals, year-to-date sums included. Rolling "
            "12-month totals are published only when their 12 months are (or when they are a "
            "published calendar year). Zeros are published. An independent audit (linear "
            "and integer programming) checks that a reader can neither prove the value of a "
            "hidden cell "
            "nor prove that it lies between 1 and {k1}. Rates, shares and changes are "
            "computed only from published counts and are suppressed where their numerator "
            "or denominator is."),
        "design_h": "Published tables",
        "design": [
            "National level: totals by month, quarter, year, rolling 12 months and year to "
            "date; breakdowns (sex, age group, citizenship group, country of citizenship, form "
            "of exploitation, who signalled) by calendar year only, one at a time: with a few "
            "dozen persons a month, monthly breakdowns would be almost entirely suppressed.",
            "Districts (and abroad / unknown): by calendar year, total and by sex; persons "
            "signalled also by complete quarter and year to date at the end of each "
            "complete quarter, every year including the current one. Neither months nor the "
            "year to date at the end of other months are published by district (two "
            "year-to-date sums a month apart would reveal that month). A district with 1 to "
            "{k1} persons in the year, or whose "
            "yearly total the table by sex and status hides, has no quarters or year to date "
            "published for that year (they would all be confidential and, combined with that "
            "table, would bound the hidden total), except those an earlier release published: "
            "they stay published while their count does not change (see the release "
            "policy). Rolling district windows are not published "
            "(two successive windows differ by a single month and would reveal monthly "
            "counts).",
            "Portugal includes persons signalled abroad and in an unknown district.",
            "Rates per 100,000 residents: districts use the Census 2021 population; Portugal "
            "uses the resident population on 1 January of the year in which the period ends "
            "(the latest available year if not yet published). Published by year (and "
            "rolling 12 months nationally); monthly and quarterly rates are not published. "
            "Rates by sex: Census 2021 population by sex (INE, tables Q01/Q04; Portugal: "
            "5,422,846 women, 4,920,220 men). Braga, Bragança, Porto and Viana do Castelo: "
            "INE's split by sex is not at hand, so it is estimated (flag \"e\"; a rate of "
            "zero persons is exact and has none): the women "
            "share of geoapi-pt's aggregation of INE's BGRI 2021 (92.8 % to 99.9 % of each "
            "district's population) applied to INE's total and raked so that the four "
            "districts add up exactly to the men and women INE's national total leaves them "
            "(1,420,396 and 1,565,372); raking moved each share by 0.005 percentage points. "
            "No rate for minors: no "
            "verified count of residents under 18 was found (INE publishes the bands 0-14 "
            "and 15-24).",
            "Protection solves one problem per calendar year and breakdown (by district: "
            "district × sex × status by year, and district × quarter → year with the "
            "year-to-date sums); a cell shared between problems is hidden in all of them if "
            "it is hidden in one; if the release-wide audit refuses the release, the cells "
            "a problem never publishes (e.g. the breakdown of a status too small to be "
            "broken down) are left out of it: that problem was protected with them unknown "
            "to the reader.",
            "Release-wide audit: besides each problem's own audit, all published counts are "
            "analysed together, as a reader can combine them (every period, districts → "
            "national with abroad/unknown, breakdowns and groups, signalled = presumed + "
            "confirmed + not confirmed, supported = migrants assisted + others, numerators "
            "and denominators of rates, shares and changes). Every person has one district, "
            "one quarter and one status, so the audit also writes down, as unknowns, the "
            "district × quarter × status counts that the published tables district × "
            "quarter, district × status (by year) and quarter × status (national) are "
            "margins of: the three tables form a cycle, and a reader who uses the cube "
            "bounds more than one who links the published cells pairwise (nobody confirmed "
            "nationally in the first three quarters bounds a district's confirmed victims of "
            "the year by its persons of the fourth). For every suppressed cell the "
            "audit computes the integer interval the reader can prove (connected components, "
            "linear and integer programming). Publication is refused if a confidential cell "
            "is pinned down or bounded within 1–{k1}; a secondary cell the reader can "
            "recompute protects nothing and is published. The summary (cells, suppressed, "
            "narrowest intervals, time) is published with every release; `observatory "
            "audit-release` repeats the audit from the published file.",
            "Headline figures: national yearly totals of every protected indicator and "
            "national quarterly and monthly totals of persons signalled are never chosen as "
            "secondary suppressions when they are ≥ {k} (unless no other pattern exists, or "
            "the cell was hidden in the previous release with the same count: suppression is "
            "stable across releases; or a revision changed it by fewer than {k} persons). "
            "After them, where a pattern exists, the national "
            "yearly numerators of the published shares (women and girls, minors, foreign "
            "citizens, sexual and online sexual exploitation) are kept published, so that "
            "the shares are: beside 1–{k1} persons of other or unknown sex, the third cell "
            "hidden is then men rather than women. Where a status is small in a quarter, "
            "that year's status split is published by year only; where a status is too "
            "small to be broken down without hiding its national total (e.g. 7 confirmed "
            "victims in a year, all in cells of 1 to 4), its breakdowns of that year are not "
            "published in that "
            "table.",
            "Never-published cells (e.g. persons supported without migration support) are "
            "part of the tables but are not confidential and force no suppression.",
            "Provenance: every release lists the returns it is built from (partner × return "
            "type × period × version). Nothing computed from a partner's file (digest, name, "
            "size, row count) is published; rejected files appear with an opaque ingest "
            "number, the rules and the row of the first problem, never with the partner's "
            "values.",
            "Release policy: every refresh recomputes the whole history, but a release "
            "without new data is identical to the previous one (same values and flags). A "
            "published value stays published while its count does not change, and a hidden "
            "value stays hidden; only a revision (a corrected or late return) may change a "
            "value (flag \"r\"), and only the cells around the revised value may change "
            "status. The last {retention} releases are kept (OBS_RELEASE_RETENTION); the "
            "audit assumes a reader who keeps them all (an earlier value whose count has not "
            "changed counts as known). A release that hides, or no longer publishes, values "
            "the previous one published says how many, on every page and in its summary.",
            "Revisions between releases: when a late or corrected return changes a published "
            "count by fewer persons than the threshold (from N to N + 3, say), a reader "
            "comparing the two releases would see a small group. That count is therefore "
            "hidden (c) as a confidential cell, with other cells that protect it: secondary "
            "suppressions keep the reader "
            "from placing it between the earlier value + 1 and the earlier value + "
            "{k1} (or below it): the difference between two releases is protected "
            "as a table of counts. Every published release counts, also those no longer "
            "available; a count equal to a value already published is not hidden again. The "
            "check before publication refuses a release in which a difference of 1 to "
            "{k1} persons can be seen or deduced.",
        ],
        "eea_h": "EEA Grants results (PDP7)",
        "eea": (
            "Reporting periods: every calendar year and every interim period ({interim}). "
            "Achieved in the period: the indicator summed over the period's months. Achieved "
            "to date (A): the indicator summed from {start} to the end of the period. % of "
            "target = 100 × A / target. Expected value E = baseline + "
            "(target − baseline) × f, where f = months elapsed since {start} (the period's "
            "last month included) / months to December of the target year, at most 1. "
            "Status: \"{achieved}\" if A ≥ target (\"{achieved_late}\" if the period ends "
            "after the target year and A at its December, as published, was below the "
            "target); \"{not_achieved}\" if the period ends "
            "in or after December of the target year without A ≥ target; \"{on_track}\" if "
            "A ≥ E × (1 − {tol}); otherwise \"{at_risk}\". Women and men: by calendar year "
            "(not available in interim periods)."),
        "illustrative": ("**Note:** the current baselines and targets are ILLUSTRATIVE "
                         "(sample values), not the agreed targets."),
        "ind_h": "Indicators",
        "fields": {"code": "Code", "definition": "Definition", "unit": "Unit",
                   "source": "Source", "measure": "Measure", "breakdowns": "Breakdowns",
                   "districts": "Districts", "grains": "Periods (national total)",
                   "grains_b": "Periods (national breakdowns)", "disclosure": "Disclosure",
                   "level": "Level (results framework)", "baseline": "Baseline",
                   "target": "Target", "sdg": "SDG"},
        "none": "none",
    },
}


def _label(registry: Registry, breakdown: str, lang: str) -> str:
    return registry.breakdown_labels.get(breakdown, {}).get(lang, breakdown)


def _number(value: float, lang: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", " ") if lang == "pt" else text


def _indicator(ind: Indicator, registry: Registry, lang: str) -> list[str]:
    t = TEXT[lang]
    f = t["fields"]
    name = ind.name_pt if lang == "pt" else ind.name_en
    definition = ind.definition_pt if lang == "pt" else ind.definition_en
    lines = [f"### {name}", "", f"- **{f['code']}:** `{ind.code}`",
             f"- **{f['definition']}:** {definition}",
             f"- **{f['unit']}:** {UNITS[ind.unit][lang]}",
             f"- **{f['source']}:** {RETURNS[ind.source_return][lang]}",
             f"- **{f['measure']}:** `{ind.measure}`",
             f"- **{f['breakdowns']}:** "
             + ", ".join(_label(registry, b, lang) for b in ind.breakdowns),
             f"- **{f['grains']}:** " + ", ".join(GRAINS[g][lang] for g in ind.grains)]
    if any(b != "_T" for b in ind.breakdowns):
        lines.append(f"- **{f['grains_b']}:** "
                     + ", ".join(GRAINS[g][lang] for g in ind.national_grains("sex")))
    if ind.district_breakdowns:
        lines.append(f"- **{f['districts']}:** " + "; ".join(
            _label(registry, b, lang) + " — "
            + ", ".join(GRAINS[g][lang] for g in ind.district_grains_for(b))
            for b in ind.district_breakdowns))
    if ind.is_count:
        rule = ind.disclosure.plain_pt() if lang == "pt" else ind.disclosure.plain_en()
    else:
        rule = ("Calculado a partir de contagens publicadas; suprimido onde o numerador ou o "
                "denominador o é." if lang == "pt" else
                "Computed from published counts; suppressed where its numerator or "
                "denominator is.")
    lines.append(f"- **{f['disclosure']}:** {rule}")
    if ind.sdg:
        lines.append(f"- **{f['sdg']}:** {ind.sdg}")
    if ind.level:
        lines.append(f"- **{f['level']}:** {ind.level}")
    if ind.target:
        lines.append(f"- **{f['baseline']}:** {_number(ind.target.baseline_value, lang)} "
                     f"({ind.target.baseline_year})")
        mark = " (ILUSTRATIVA)" if lang == "pt" else " (ILLUSTRATIVE)"
        lines.append(f"- **{f['target']}:** {_number(ind.target.target_value, lang)} "
                     f"({ind.target.target_year})"
                     + (mark if registry.targets_illustrative else ""))
    return [*lines, ""]


def _section(registry: Registry, lang: str) -> list[str]:
    t = TEXT[lang]
    k = min(i.disclosure.threshold for i in registry.counts() if i.disclosure.applies)
    lines = [f"## {t['title']} ({'Português' if lang == 'pt' else 'English'})", "",
             f"### {t['caveat_h']}", "", t["caveat"], "", f"### {t['flags_h']}", ""]
    lines += [f"- `{code}` — {text}" for code, text in t["flags"]]
    lines += ["", t["flags_note"], "", f"### {t['sdc_h']}", "",
              t["sdc"].format(k=k, k1=k - 1), "", f"### {t['design_h']}", ""]
    lines += [f"- {item.format(k=k, k1=k - 1, retention=DEFAULT_RETENTION)}"
              for item in t["design"]]
    labels = {s: STATUS_LABELS[s][lang] for s in STATUS_LABELS}
    lines += ["", f"### {t['eea_h']}", "",
              t["eea"].format(start=registry.results_start.strftime("%Y-%m"),
                              achieved=labels["achieved"], on_track=labels["on_track"],
                              at_risk=labels["at_risk"],
                              not_achieved=labels["not_achieved"],
                              achieved_late=labels["achieved_late"],
                              interim=", ".join(f"{a:02d}-{b:02d}"
                                                for a, b in registry.interim_periods),
                              tol=(f"{registry.tolerance:.2f}".replace(".", ",")
                                   if lang == "pt" else f"{registry.tolerance:.2f}")), ""]
    if registry.targets_illustrative:
        lines += [t["illustrative"], ""]
    lines += [f"## {t['ind_h']} ({lang.upper()})", ""]
    for ind in registry:
        lines += _indicator(ind, registry, lang)
    return lines


def methodology_markdown(registry: Registry | None = None) -> str:
    """The whole document: Portuguese first, then English."""
    registry = registry or load_registry()
    lines = ["<!-- Generated by indicators/methodology.py from indicators/registry/. "
             "Do not edit by hand. -->", "",
             "# Metodologia / Methodology", ""]
    lines += _section(registry, "pt")
    lines += _section(registry, "en")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(methodology_markdown())
