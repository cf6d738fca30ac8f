"""The one translation table of the dashboard, and number/date formatting per language.

Every user-facing string is looked up here with ``t(key, lang, **fields)``. Labels of
indicators come from the release itself (``published.indicators`` has PT and EN names).
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

LANGS: tuple[str, ...] = ("pt", "en")
DEFAULT_LANG = "pt"

# key -> (Portuguese, English)
TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app.title": ("Observatório do Tráfico de Seres Humanos — indicadores",
                  "Observatory on Trafficking in Human Beings — indicators"),
    "app.short": ("OTSH · Indicadores", "OTSH · Indicators"),
    "app.skip": ("Saltar para o conteúdo", "Skip to content"),
    "app.switch_lang": ("English", "Português"),
    "app.switch_lang_label": ("Mudar para inglês", "Switch to Portuguese"),
    "app.nav": ("Navegação principal", "Main navigation"),
    "app.synthetic": ("Dados sintéticos: estes números são fictícios e servem apenas para "
                      "demonstração.",
                      "Synthetic data: these figures are fictitious, for demonstration only."),
    "app.release": ("Versão publicada {release} · criada em {created}",
                    "Published release {release} · created on {created}"),
    "app.not_published_now.one": (
        "{n} valor publicado na versão anterior ({previous}) não está publicado nesta: "
        "oculto (c) ou omitido. Quando chegam reportes tardios ou corrigidos, alguns valores "
        "são ocultados para proteger as pessoas contadas.",
        "{n} value published in the previous release ({previous}) is not published in this "
        "one: hidden (c) or left out. When late or corrected returns arrive, some values are "
        "hidden to protect the persons counted."),
    "app.not_published_now.other": (
        "{n} valores publicados na versão anterior ({previous}) não estão publicados nesta: "
        "ocultos (c) ou omitidos. Quando chegam reportes tardios ou corrigidos, alguns "
        "valores são ocultados para proteger as pessoas contadas.",
        "{n} values published in the previous release ({previous}) are not published in "
        "this one: hidden (c) or left out. When late or corrected returns arrive, some "
        "values are hidden to protect the persons counted."),
    "app.release_policy_link": ("Política de versões", "Release policy"),
    "app.stale": ("A versão mais recente não pôde ser aberta; a mostrar a última versão válida.",
                  "The newest release could not be opened; showing the last good release."),
    "app.past_release": ("Está a ver uma versão anterior ({release}, de {created}): os números "
                         "podem ter sido revistos desde então.",
                         "You are viewing a past release ({release}, of {created}): figures "
                         "may have been revised since."),
    "app.past_release_link": ("Ver a versão atual", "See the current release"),
    "app.release_gone": ("A versão pedida já não está disponível; a mostrar a versão atual.",
                         "The release asked for is no longer kept; showing the current one."),
    "api.no_release": ("não há publicação {release} (ou já não é mantida)",
                       "no retained release {release}"),
    "api.too_many_values": ("no máximo {n} valores por parâmetro",
                            "at most {n} values per parameter"),
    "api.bad_period": ("período inválido {text}: use 2025, 2025-Q3, 2025-07 ou 2025-07-31",
                       "bad period {text}: use 2025, 2025-Q3, 2025-07 or 2025-07-31"),
    "api.bad_value": ("o parâmetro '{parameter}' não aceita {text}: use {allowed}",
                      "parameter '{parameter}' does not accept {text}: use {allowed}"),
    "api.grain_not_published": ("o indicador {indicator} não é publicado por '{grain}' para "
                                "as áreas e a desagregação pedidas: use grain {allowed}",
                                "indicator {indicator} is not published by '{grain}' for the "
                                "areas and breakdown asked: use grain {allowed}"),
    "api.breakdown_not_here": ("o indicador {indicator} não é publicado por '{breakdown}' "
                               "para as áreas pedidas",
                               "indicator {indicator} is not published by '{breakdown}' for "
                               "the areas asked"),
    "api.from_after_to": ("o parâmetro 'from' ({start}) é posterior a 'to' ({end}): o "
                          "período 'from' não pode começar depois do fim do período 'to'",
                          "parameter 'from' ({start}) is after 'to' ({end}): the 'from' "
                          "period must not begin after the 'to' period ends"),
    "api.indicator_required": ("o parâmetro 'indicator' é obrigatório (ver /api/v1/indicators)",
                               "parameter 'indicator' is required (see /api/v1/indicators)"),
    "api.unknown_indicator": ("o indicador {indicator} não está na publicação {release}",
                              "indicator {indicator} is not in release {release}"),
    "api.needs_role": ("o indicador {indicator} exige o perfil {role}",
                       "indicator {indicator} needs the role {role}"),
    "api.not_found": ("a API não tem o caminho {path} (ver /api/v1/openapi.json)",
                      "the API has no path {path} (see /api/v1/openapi.json)"),
    "api.bad_format": ("format deve ser json ou csv", "format must be json or csv"),
    "api.no_previous": ("a publicação {release} não tem publicação anterior",
                        "release {release} has no previous release"),
    "api.unavailable": ("nenhuma publicação disponível; tente mais tarde",
                        "no release is available; try again later"),
    "api.too_many_requests": ("demasiados pedidos; tente mais tarde",
                              "too many requests; try again later"),
    "app.footer": ("Números protegidos por controlo de divulgação estatística.",
                   "Figures protected by statistical disclosure control."),
    "app.maintenance.title": ("Em manutenção", "Under maintenance"),
    "app.maintenance.body": ("Os indicadores estão temporariamente indisponíveis enquanto "
                             "uma nova versão é preparada. Tente novamente dentro de minutos.",
                             "The indicators are temporarily unavailable while a new release "
                             "is prepared. Please try again in a few minutes."),
    "app.not_found_body": ("Este endereço não corresponde a nenhuma página do observatório. "
                           "Escolha uma página no menu acima ou volte à página inicial.",
                           "This address does not match any page of the observatory. Choose "
                           "a page in the menu above or go back to the home page."),
    # pages
    "page.overview": ("Visão geral", "Overview"),
    "page.map": ("Mapa regional", "Regional map"),
    "page.trends": ("Tendências", "Trends"),
    "page.results": ("Resultados EEA Grants", "EEA Grants results"),
    "page.quality": ("Qualidade dos dados", "Data quality"),
    "page.methodology": ("Metodologia", "Methodology"),
    # the words a dropdown writes itself (dashboards.components.dropdown_labels)
    "dd.select_all": ("Selecionar tudo", "Select all"),
    "dd.deselect_all": ("Desmarcar tudo", "Deselect all"),
    "dd.selected_count": ("{num_selected} selecionados", "{num_selected} selected"),
    "dd.search": ("Pesquisar", "Search"),
    "dd.clear_search": ("Limpar a pesquisa", "Clear search"),
    "dd.clear_selection": ("Limpar a seleção", "Clear selection"),
    "dd.no_options_found": ("Nenhuma opção encontrada", "No options found"),
    # controls
    "ctl.indicator": ("Indicador", "Indicator"),
    "ctl.grain": ("Periodicidade", "Time grain"),
    "ctl.period": ("Período", "Period"),
    "ctl.breakdown": ("Desagregação", "Breakdown"),
    "ctl.district": ("Distrito", "District"),
    "ctl.compare": ("Comparar com", "Compare with"),
    "ctl.rperiod": ("Período de reporte", "Reporting period"),
    "ctl.year": ("Ano", "Year"),
    "ctl.none": ("(nenhum)", "(none)"),
    "grain.month": ("Mês", "Month"),
    "grain.quarter": ("Trimestre", "Quarter"),
    "grain.year": ("Ano", "Year"),
    "grain.r12": ("12 meses móveis", "Rolling 12 months"),
    "grain.ytd": ("Ano até à data", "Year to date"),
    "bd._T": ("Total", "Total"),
    "bd.sex": ("Sexo", "Sex"),
    "bd.age_group": ("Grupo etário", "Age group"),
    "bd.minors_adults": ("Menores / adultos", "Minors / adults"),
    "bd.citizenship_group": ("Nacionalidade (grupo)", "Citizenship group"),
    "bd.exploitation": ("Forma de exploração", "Form of exploitation"),
    "bd.signalled_by": ("Sinalizado por", "Signalled by"),
    "bd.audience": ("Público", "Audience"),
    "bd.support": ("Tipo de apoio", "Type of support"),
    "bd.age": ("Idade", "Age"),
    "geo.PT": ("Portugal (nacional)", "Portugal (national)"),
    "geo.ABROAD": ("Estrangeiro", "Abroad"),
    "geo.UNKNOWN": ("Desconhecido", "Unknown"),
    # flags
    "flag.c": ("confidencial", "confidential"),
    "flag.z": ("não aplicável", "not applicable"),
    "flag.:": ("não disponível", "not available"),
    "flag.e": ("estimado", "estimated"),
    "flag.p": ("provisório", "provisional"),
    "flag.r": ("revisto", "revised"),
    "flag.none": ("definitivo", "final"),
    "flag.legend_c": ("Confidencial (c)", "Confidential (c)"),
    "flag.legend_na": ("Não disponível (:)", "Not available (:)"),
    "flag.legend_p": ("Provisório (p)", "Provisional (p)"),
    "flag.legend_e": ("Estimado (e)", "Estimated (e)"),
    # overview
    "ov.latest": ("Último período completo: {period}", "Latest complete period: {period}"),
    "ov.ytd": ("Ano até à data: {period}", "Year to date: {period}"),
    "ov.year": ("Último ano completo: {period}", "Latest complete year: {period}"),
    "ov.card.signalled": ("Pessoas sinalizadas", "Persons signalled"),
    "ov.card.confirmed": ("Vítimas confirmadas", "Confirmed victims"),
    "ov.card.rate": ("Taxa por 100 000 habitantes", "Rate per 100,000 residents"),
    "ov.card.change": ("Variação face ao ano anterior", "Change versus previous year"),
    "ov.card.share_minors": ("Menores", "Minors"),
    "ov.card.share_women_girls": ("Mulheres e raparigas", "Women and girls"),
    "ov.card.share_foreign": ("Cidadãos estrangeiros", "Foreign citizens"),
    "ov.card.share_sexual": ("Exploração sexual", "Sexual exploitation"),
    "ov.card.share_online_sexual": ("Exploração sexual online", "Online sexual exploitation"),
    "ov.trend_alt": ("{kind} de {name}, {start} a {end}: de {first} para {last} "
                     "(mínimo {low}, máximo {high}).",
                     "{kind} of {name}, {start} to {end}: from {first} to {last} "
                     "(lowest {low}, highest {high})."),
    "ov.trend_kind.month": ("Tendência mensal", "Monthly trend"),
    "ov.trend_kind.ytd": ("Tendência do ano até à data", "Year-to-date trend"),
    "ov.trend_kind.year": ("Tendência anual", "Yearly trend"),
    "ov.trend_conf": ("Períodos confidenciais (intervalos na linha): {n}.",
                      "Confidential periods (gaps in the line): {n}."),
    "ov.trend_none": ("{kind} de {name}: sem valores publicáveis.",
                      "{kind} of {name}: no publishable values."),
    "ov.read.rose": ("{name} aumentou {pct} face a {prev}.",
                     "{name} rose {pct} compared with {prev}."),
    "ov.read.fell": ("{name} diminuiu {pct} face a {prev}.",
                     "{name} fell {pct} compared with {prev}."),
    "ov.read.same": ("{name} manteve-se igual a {prev}.",
                     "{name} was unchanged compared with {prev}."),
    "ov.read.conf": ("{name}: valor confidencial, não é possível comparar.",
                     "{name}: value confidential, no comparison possible."),
    "ov.read.na": ("{name}: sem comparação disponível.", "{name}: no comparison available."),
    "ov.read.value": ("{name}: {value}.", "{name}: {value}."),
    "ov.spark_legend": ("Linhas dos cartões: a evolução de cada indicador no intervalo indicado; "
                        "× = período confidencial (c), suprimido para proteger as pessoas.",
                        "Card lines: each indicator's trend over the span shown; "
                        "× = confidential period (c), suppressed to protect people."),
    "ov.caveat": ("As vítimas sinalizadas medem a deteção, não a prevalência do tráfico.",
                  "Detected victims measure detection, not the prevalence of trafficking."),
    "ov.scope": ("Âmbito geográfico: {geo}", "Geographic scope: {geo}"),
    "ov.table": ("Indicadores principais", "Headline indicators"),
    # map
    "map.title": ("{indicator} por distrito, {period}", "{indicator} by district, {period}"),
    "map.mainland": ("Continente", "Mainland"),
    "map.azores": ("Açores", "Azores"),
    "map.madeira": ("Madeira", "Madeira"),
    "map.alt": ("Mapa coroplético dos distritos; os valores estão na tabela abaixo.",
                "Choropleth map of districts; the values are in the table below."),
    "map.click": ("Clique num distrito para filtrar as outras vistas.",
                  "Click a district to filter the other views."),
    "map.selected": ("Distrito selecionado: {name}", "Selected district: {name}"),
    "map.not_by_district": ("não publicado por distrito", "not published by district"),
    # trends
    "tr.title": ("{indicator}, {geo}", "{indicator}, {geo}"),
    "tr.alt": ("Gráfico de linhas; os valores estão na tabela abaixo.",
               "Line chart; the values are in the table below."),
    # results
    "res.title": ("Quadro de resultados EEA Grants — {period}",
                  "EEA Grants results framework — {period}"),
    "res.level.outcome": ("Resultado", "Outcome"),
    "res.level.output": ("Produto", "Output"),
    "res.status.on_track": ("No bom caminho", "On track"),
    "res.status.at_risk": ("Em risco", "At risk"),
    "res.status.achieved": ("Alcançado", "Achieved"),
    "res.status.none": ("Sem avaliação", "Not assessed"),
    "res.illustrative": ("Metas ilustrativas (dados de exemplo).",
                         "Illustrative targets (sample data)."),
    "res.print": ("Relatório para impressão (HTML)", "Printable report (HTML)"),
    "res.pdf": ("Relatório em PDF", "Report as PDF"),
    "res.donor_csv": ("CSV (formato do doador)", "CSV (donor layout)"),
    "res.donor_xlsx": ("XLSX (formato do doador)", "XLSX (donor layout)"),
    "res.annex": ("Anexo metodológico", "Methodology annex"),
    # results by reporting period and the donor report (issue 13, items 3-4)
    "res.status.not_achieved": ("Não alcançado", "Not achieved"),
    "res.status.achieved_late": ("Alcançado depois do ano da meta",
                                 "Achieved after the target year"),
    "res.period.year": ("Ano {year}", "Year {year}"),
    "res.period.interim": ("Período intercalar {n} de {year} ({first}–{last})",
                           "Interim period {n} of {year} ({first}–{last})"),
    "res.period_missing": (
        "O período pedido «{asked}» não existe nesta publicação; mostra-se {shown}.",
        "The requested period '{asked}' is not in this release; showing {shown} instead."),
    "res.sex_note": (
        "Mulheres e homens: desagregação por sexo publicada por ano civil (nos períodos "
        "intercalares, «:» = não disponível); pessoas de outro sexo ou de sexo desconhecido "
        "contam apenas no total. «c» = confidencial: escondido para proteger as pessoas, "
        "não necessariamente um número pequeno.",
        "Women and men: the split by sex is published by calendar year (in interim periods "
        "':' = not available); persons of another or unknown sex count in the total only. "
        "'c' = confidential: hidden to protect people, not necessarily a small number."),
    "res.status_note": (
        "% da meta = 100 × alcançado acumulado / meta. Situação: «alcançado» quando o "
        "acumulado atinge a meta até dezembro do ano da meta; «alcançado depois do ano da "
        "meta» quando só a atingiu mais tarde; «não alcançado» quando o ano da meta terminou "
        "sem a atingir; antes disso, «no bom caminho» ou «em risco» face ao percurso linear "
        "até à meta. Um acumulado provisório (coluna «Estado do valor acumulado») pode mudar "
        "com reportes em falta, e a situação com ele; um acumulado confidencial fica «sem "
        "avaliação». Regras completas: anexo metodológico do relatório.",
        "% of target = 100 × achieved to date / target. Status: 'achieved' when the value "
        "to date reaches the target by December of the target year; 'achieved after the "
        "target year' when it reached it only later; 'not achieved' when the target year "
        "ended without reaching it; before that, 'on track' or 'at risk' against a linear "
        "path to the target. A provisional value to date (column 'Status of the value to "
        "date') may change with missing returns, and the status with it; a confidential value "
        "to date is 'not assessed'. Full rules: the report's methodology annex."),
    "res.sex_na_note": ("«z» = não aplicável (o indicador não conta pessoas: ações, sessões, "
                        "orientações).",
                        "'z' = not applicable (the indicator does not count people: actions, "
                        "sessions, guidelines)."),
    "res.col.period_total": ("Alcançado no período", "Achieved in the period"),
    "res.col.to_date_total": ("Alcançado acumulado", "Achieved to date"),
    "res.col.women": ("dos quais mulheres", "of whom women"),
    "res.col.men": ("dos quais homens", "of whom men"),
    "res.col.period_women": ("Período: mulheres", "Period: women"),
    "res.col.period_men": ("Período: homens", "Period: men"),
    "res.col.to_date_women": ("Acumulado: mulheres", "To date: women"),
    "res.col.to_date_men": ("Acumulado: homens", "To date: men"),
    "res.col.value_status": ("Estado do valor acumulado", "Status of the value to date"),
    "rep.title": ("Relatório de resultados EEA Grants", "EEA Grants results report"),
    "rep.title_label": ("Título", "Title"),
    "rep.programme": ("Programa", "Programme"),
    "rep.project": ("Projeto", "Project"),
    "rep.promoter": ("Promotor do projeto", "Project promoter"),
    "rep.operator": ("Operador do programa", "Programme operator"),
    "rep.dpp": ("Parceiro do programa doador", "Donor programme partner"),
    "rep.grant": ("Subvenção", "Grant"),
    "rep.period": ("Período de reporte", "Reporting period"),
    "rep.release": ("Versão dos dados", "Data release"),
    "rep.date": ("Data do relatório", "Report date"),
    "rep.summary": ("Síntese dos resultados", "Summary of results"),
    "rep.results": ("Quadro de resultados", "Results framework"),
    "rep.communication": (
        "O projeto {project} beneficia de um apoio de {grant} da Islândia, do Liechtenstein "
        "e da Noruega através dos EEA Grants, no âmbito do programa {programme}. "
        "Trabalhamos juntos por uma Europa verde, competitiva e inclusiva.",
        "The project {project} benefits from a {grant} grant from Iceland, Liechtenstein "
        "and Norway through the EEA Grants, under the programme {programme}. "
        "Working together for a green, competitive and inclusive Europe."),
    "rep.header": ("EEA Grants · {project} · Relatório de resultados · {period}",
                   "EEA Grants · {project} · Results report · {period}"),
    "rep.page": ("Página {n} de {total}", "Page {n} of {total}"),
    "rep.signoff": ("Validação", "Sign-off"),
    "rep.signoff.prepared": ("Preparado por (promotor do projeto)",
                             "Prepared by (project promoter)"),
    "rep.signoff.checked": ("Verificado por (operador do programa)",
                            "Checked by (programme operator)"),
    "rep.signoff.name": ("Nome e cargo", "Name and position"),
    "rep.signoff.signature": ("Assinatura", "Signature"),
    "rep.signoff.date": ("Data", "Date"),
    "rep.n.counts": (
        "{period}: {achieved} de {total} indicadores alcançaram a meta até ao ano da meta, "
        "{achieved_late} depois dele, "
        "{on_track} estão no bom caminho, {at_risk} em risco e {not_achieved} não "
        "alcançados (meta vencida); {unassessed} sem avaliação (valor confidencial ou não "
        "disponível).",
        "{period}: {achieved} of {total} indicators reached their target by the target "
        "year, {achieved_late} after it, "
        "{on_track} are on track, {at_risk} at risk and {not_achieved} not achieved (target "
        "year over); {unassessed} not assessed (value confidential or not available)."),
    "rep.n.line": ("{indicator}: {period_value} no período, {to_date} acumulado "
                   "({pct} da meta de {target}) — {status}.",
                   "{indicator}: {period_value} in the period, {to_date} to date "
                   "({pct} of the target of {target}) — {status}."),
    "rep.n.line_nopct": ("{indicator}: {period_value} no período, {to_date} acumulado "
                         "(meta: {target}) — {status}.",
                         "{indicator}: {period_value} in the period, {to_date} to date "
                         "(target: {target}) — {status}."),
    "rep.n.sex": (" Mulheres: {women}; homens: {men} (no período).",
                  " Women: {women}; men: {men} (in the period)."),
    "rep.n.confidential": ("valor confidencial", "value confidential"),
    "rep.notes": ("Notas", "Notes"),
    "rep.method.results_h": ("Como se calculam os resultados", "How results are computed"),
    "rep.method.results": (
        "Períodos de reporte: ano civil e períodos intercalares (janeiro–abril, maio–agosto, "
        "setembro–dezembro). «Alcançado no período» é o valor publicado do período: o valor do "
        "ano para um ano civil; para outros períodos, o valor publicado do ano até à data ou "
        "a soma dos valores mensais publicados; se um deles é confidencial, a diferença entre "
        "o acumulado no fim do período e o acumulado no mês anterior ao seu início, quando "
        "ambos são publicados (qualquer leitor a calcula). «Alcançado acumulado» junta da "
        "mesma forma os valores desde o início do projeto ({start}) até ao fim do período. "
        "% da meta = 100 × acumulado / meta. Valor esperado = base + (meta − "
        "base) × meses decorridos / meses até dezembro do ano da meta. Situação: «alcançado» "
        "se acumulado ≥ meta («alcançado depois do ano da meta» se o acumulado em dezembro "
        "do ano da meta estava abaixo dela); «não alcançado» se o período termina no ano da "
        "meta ou depois "
        "e a meta não foi atingida; «no bom caminho» se acumulado ≥ {on_track} % do "
        "esperado; senão "
        "«em risco». Se um valor necessário é confidencial, o resultado também o é («c») e a "
        "situação fica «sem avaliação».",
        "Reporting periods: calendar year and interim periods (January–April, May–August, "
        "September–December). 'Achieved in the period' is the period's published value: the "
        "year's value for a calendar year; for other periods, the published year-to-date "
        "value or the sum of the published monthly values; where one of them is "
        "confidential, the value to date at the end of the period minus the value to date "
        "in the month before it begins, when both are published (any reader can compute "
        "it). 'Achieved to date' adds values the same way from the project start ({start}) "
        "to the end of the period. "
        "% of target = 100 × to date / target. Expected = baseline + "
        "(target − baseline) × months elapsed / months to December of the target year. "
        "Status: 'achieved' if to date ≥ target ('achieved after the target year' if the "
        "value to date in December of the target year was below it); 'not achieved' if the "
        "period ends in or "
        "after the target year without reaching it; 'on track' if to date ≥ {on_track}% "
        "of expected; "
        "otherwise 'at risk'. If a value needed is confidential, so is the result ('c'), and "
        "the status is 'not assessed'."),
    "rep.definitions": ("Definições dos indicadores", "Indicator definitions"),
    "rep.synthetic_file": ("DADOS SINTÉTICOS — não são dados reais.",
                           "SYNTHETIC DATA — not real data."),
    "rep.source": ("Fonte", "Source"),
    "rep.source_text": (
        "OTSH — Observatório do Tráfico de Seres Humanos (SGMAI), reportes mensais dos "
        "parceiros do projeto {project}; valores publicados após controlo de "
        "confidencialidade.",
        "OTSH — Observatory on Trafficking in Human Beings (SGMAI), monthly returns of the "
        "{project} project partners; values published after disclosure control."),
    "rep.flags_legend": (
        "Sinais: c = confidencial; z = não aplicável; : = não disponível; e = estimado "
        "(taxa sobre população por sexo estimada); p = provisório (falta um reporte de "
        "parceiro); r = revisto.",
        "Flags: c = confidential; z = not applicable; : = not available; e = estimated "
        "(rate on an estimated population by sex); p = provisional (a partner's return is "
        "missing); r = revised."),
    # quality
    "dq.title": ("Entregas por parceiro e mês", "Returns by partner and month"),
    "dq.title_year": ("Entregas por parceiro e mês, {year}",
                      "Returns by partner and month, {year}"),
    "dq.state.received": ("recebido", "received"),
    "dq.state.late": ("atrasado", "late"),
    "dq.state.missing": ("em falta", "missing"),
    "dq.state.rejected": ("rejeitado", "rejected"),
    "dq.state.revised": ("revisto", "revised"),
    "dq.state.late_revised": ("atrasado; revisto", "late; revised"),
    "dq.state.not_expected": ("não esperado", "not expected"),
    "dq.rejections": ("Ficheiros rejeitados", "Rejected files"),
    "dq.rejections_hint": (
        "Ficheiros rejeitados ao carregar, até esta versão publicada. Os nomes dos ficheiros "
        "nunca saem do armazém de dados: cada ficheiro é indicado pelo seu número de "
        "carregamento («ingest #»), e o relatório com o nome está na quarentena. Os envios "
        "pelo painel, com o nome do ficheiro, estão no registo mais abaixo.",
        "Files rejected at loading, up to this release. File names never leave the data "
        "warehouse: each file is named by its load number ('ingest #'), and its report, with "
        "the name, is in the quarantine. Uploads through the dashboard, with their file "
        "names, are in the log further down."),
    "dq.partner_unknown": ("não identificado", "not identified"),
    "dq.history": ("Histórico de versões publicadas", "Release history"),
    "dq.return_type": ("Tipo de reporte", "Return type"),
    "dq.pdf_missing": ("O PDF do relatório para o doador ({langs}) não foi produzido nesta "
                       "versão; os ficheiros HTML, CSV e XLSX foram escritos.",
                       "The donor report PDF ({langs}) was not made for this release; the HTML, "
                       "CSV and XLSX files were written."),
    # methodology
    "me.intro": ("Esta página é gerada a partir do registo de indicadores publicado com a "
                 "versão {release}.",
                 "This page is generated from the indicator registry published with release "
                 "{release}."),
    "me.indicators": ("Indicadores", "Indicators"),
    "me.disclosure": ("Controlo de divulgação", "Disclosure control"),
    "me.disclosure_rule": (
        "Nenhuma contagem entre 1 e {k_minus} é publicada: qualquer célula com menos de {k} "
        "pessoas é suprimida (com o sinal «c»), bem como as células necessárias para que não possa "
        "ser recalculada a partir de totais. {zeros} Taxas, proporções e variações são "
        "calculadas a partir das contagens protegidas e suprimidas sempre que o numerador ou "
        "o denominador o sejam. Onde uma desagregação só se protegeria ocultando o seu total "
        "(por exemplo um estado com poucas pessoas num ano), essa desagregação não é "
        "publicada para esse período; o total é. Da mesma forma, onde o total anual de um "
        "distrito está oculto, os seus trimestres e anos até à data desse ano não são "
        "publicados (salvo os que uma versão anterior já publicou, enquanto a sua contagem "
        "não mudar); o total nacional é.",
        "No count between 1 and {k_minus} is published: any cell with fewer than {k} persons is "
        "suppressed (flagged 'c'), together with the cells needed so that it cannot be "
        "recalculated from totals. {zeros} Rates, shares and changes are computed from the "
        "protected counts and suppressed wherever their numerator or denominator is. Where a "
        "breakdown could only be protected by hiding its total (e.g. a status with few persons "
        "in a year), that breakdown is not published for that period; the total is. "
        "Likewise, where a district's yearly total is hidden, its quarters and years to date "
        "of that year are not published (except those an earlier release published, while "
        "their count does not change); the national total is."),
    "me.audit": ("Auditoria da publicação inteira", "Release-wide audit"),
    "me.audit_text": (
        "Antes de publicar, todas as contagens publicadas são analisadas em conjunto, como um "
        "leitor externo as pode combinar (meses, trimestres, anos, ano até à data, 12 meses "
        "móveis, distritos e total nacional, desagregações, estados, numeradores das taxas e "
        "proporções). Para cada célula suprimida calcula-se o intervalo de valores inteiros "
        "que o leitor consegue provar. A publicação é recusada se alguma célula confidencial "
        "ficar determinada ou limitada a 1–{k_minus}. Nesta versão: {cells} células, "
        "{suppressed} suprimidas ({primary} primárias, {secondary} secundárias), "
        "{recomputable} recalculáveis, auditoria em {seconds} s.",
        "Before publication, all published counts are analysed together, as an outside reader "
        "can combine them (months, quarters, years, year to date, rolling 12 months, "
        "districts and the national total, breakdowns, statuses, numerators of rates and "
        "shares). For every suppressed cell the audit computes the interval of whole numbers "
        "the reader can prove. Publication is refused if any confidential cell is pinned "
        "down or bounded within 1–{k_minus}. In this release: {cells} cells, {suppressed} "
        "suppressed ({primary} primary, {secondary} secondary), {recomputable} recomputable, "
        "audit in {seconds} s."),
    "me.audit_table": ("Auditoria por indicador", "Audit by indicator"),
    "col.cells": ("Células", "Cells"),
    "col.published": ("Publicadas", "Published"),
    "col.suppressed": ("Suprimidas", "Suppressed"),
    "col.narrowest": ("Intervalo mais estreito provado", "Narrowest interval proven"),
    "me.zeros_yes": ("Os zeros são publicados.", "Zeros are published."),
    "me.zeros_no": ("Os zeros também são suprimidos.", "Zeros are suppressed too."),
    "me.flags": ("Sinais dos valores ({letters})", "Flags ({letters})"),
    "me.flag_desc.c": ("confidencial: suprimido pelo controlo de divulgação",
                       "confidential: suppressed by disclosure control"),
    "me.flag_desc.z": ("não aplicável", "not applicable"),
    "me.flag_desc.:": ("não disponível: ainda não reportado",
                       "not available: not yet reported"),
    "me.flag_desc.e": ("estimado: taxa calculada sobre uma população por sexo estimada "
                       "(Braga, Bragança, Porto, Viana do Castelo; ver a metodologia)",
                       "estimated: rate computed on an estimated population by sex (Braga, "
                       "Bragança, Porto, Viana do Castelo; see the methodology)"),
    "me.flag_desc.e_here": ("estimado: taxa calculada sobre uma população por sexo estimada "
                            "(Braga, Bragança, Porto, Viana do Castelo; ver",
                            "estimated: rate computed on an estimated population by sex "
                            "(Braga, Bragança, Porto, Viana do Castelo; see"),
    "me.flag_desc.p": ("provisório: nem todos os parceiros reportaram o período",
                       "provisional: not every expected partner has reported the period"),
    "me.flag_desc.r": ("revisto: diferente do valor publicado numa versão anterior (mantém o "
                       "sinal enquanto não mudar de novo)",
                       "revised: differs from the value an earlier release published (keeps "
                       "the flag while it does not change again)"),
    "me.releases": ("Política de versões", "Release policy"),
    "me.releases_text": (
        "Uma versão sem dados novos é idêntica à anterior (mesmos valores e sinais). Um valor "
        "publicado continua publicado enquanto a sua contagem não mudar, e um valor oculto "
        "continua oculto; só uma revisão (reporte corrigido ou tardio) pode mudar um valor "
        "(sinal «r»), e só as células em torno do valor revisto podem mudar de estado. "
        "Mantêm-se as últimas {retention} versões; a auditoria considera um leitor que as "
        "guarda todas. Quando um reporte tardio ou corrigido muda uma contagem publicada em "
        "menos pessoas do que o limiar, essa contagem pode ficar oculta (c), com outras "
        "células que a protegem, para que quem compare duas versões não veja nem deduza "
        "uma mudança de menos pessoas do que o limiar (uma revisão de tantas pessoas como o "
        "limiar, ou mais, é publicada, com o sinal «r», e vê-se comparando as versões). Uma "
        "versão que oculta, ou deixa de publicar, valores que a anterior publicou diz quantos, "
        "em todas as páginas e no seu resumo.",
        "A release without new data is identical to the previous one (same values and "
        "flags). A published value stays published while its count does not change, and a "
        "hidden value stays hidden; only a revision (a corrected or late return) may change a "
        "value (flag \"r\"), and only the cells around the revised value may change status. "
        "The last {retention} releases are kept; the audit assumes a reader who keeps them "
        "all. When a late or corrected return changes a published count by fewer persons than "
        "the threshold, that count may be hidden (c), with other cells that protect it, so "
        "that a reader comparing two releases neither sees nor deduces a change of fewer "
        "persons than the threshold (a revision of as many persons as the threshold, or "
        "more, is published, flagged \"r\", and shows when releases are compared). A "
        "release that hides, or no longer publishes, values the previous one published says "
        "how many, on every page and in its summary."),
    "me.caveat_title": ("Deteção não é prevalência", "Detection is not prevalence"),
    "me.caveat": (
        "Os números referem-se a pessoas sinalizadas às entidades parceiras. Refletem a "
        "capacidade de deteção e de sinalização, não o número total de vítimas (prevalência). "
        "Aumentos podem significar melhor deteção.",
        "The figures are persons signalled to partner organisations. They reflect detection "
        "and signalling capacity, not the total number of victims (prevalence). Increases may "
        "mean better detection."),
    "me.population": ("Taxas por 100 000 habitantes usam a população dos Censos 2021 (INE) "
                      "para os distritos e a série anual nacional para Portugal.",
                      "Rates per 100,000 residents use the 2021 Census population (INE) for "
                      "districts and the yearly national series for Portugal."),
    # columns
    "col.indicator": ("Indicador", "Indicator"),
    "col.code": ("Código", "Code"),
    "col.definition": ("Definição", "Definition"),
    "col.unit": ("Unidade", "Unit"),
    "col.breakdowns": ("Desagregações", "Breakdowns"),
    "col.grains": ("Periodicidades", "Time grains"),
    "col.audience": ("Público-alvo", "Audience"),
    "col.period": ("Período", "Period"),
    "col.geo": ("Território", "Area"),
    "col.geo_code": ("Código território", "Area code"),
    "col.breakdown": ("Desagregação", "Breakdown"),
    "col.category": ("Categoria", "Category"),
    "col.value": ("Valor", "Value"),
    "col.flags": ("Sinal", "Flag"),
    "col.flag_text": ("Estado do valor", "Value status"),
    "col.numerator": ("Numerador", "Numerator"),
    "col.denominator": ("Denominador", "Denominator"),
    "col.level": ("Nível", "Level"),
    "col.baseline": ("Valor de base", "Baseline"),
    "col.baseline_year": ("Ano base", "Baseline year"),
    "col.target": ("Meta", "Target"),
    "col.target_year": ("Ano da meta", "Target year"),
    "col.achieved": ("Alcançado", "Achieved"),
    "col.pct_target": ("% da meta", "% of target"),
    "col.status": ("Situação", "Status"),
    "col.sex": ("Sexo", "Sex"),
    "col.partner": ("Parceiro", "Partner"),
    "col.file": ("Ficheiro", "File"),
    "col.received_at": ("Recebido em", "Received at"),
    "col.rules": ("Regras", "Rules"),
    "col.reason": ("Motivo", "Reason"),
    "col.release": ("Versão", "Release"),
    "col.created": ("Criada em", "Created"),
    "col.summary": ("Alterações", "Changes"),
    "col.values_added": ("Valores acrescentados", "Values added"),
    "col.values_changed": ("Valores alterados", "Values changed"),
    "col.values_removed": ("Valores retirados", "Values removed"),
    "col.values_hidden": ("Publicados antes, não agora: ocultos (c) ou omitidos",
                          "Published before, not now: hidden (c) or left out"),
    "dl.uploads_period": ("Envios de", "Uploads from"),
    "col.series": ("Série", "Series"),
    "col.reporting_period": ("Período de reporte", "Reporting period"),
    # downloads
    "dl.csv": ("Descarregar CSV", "Download CSV"),
    "dl.xlsx": ("Descarregar XLSX", "Download XLSX"),
    "dl.of": ("{what}", "{what}"),
    "dl.png": ("Use o ícone da câmara no gráfico para descarregar a imagem PNG.",
               "Use the camera icon on the chart to download the PNG image."),
    "dl.svg": ("Descarregar o mapa (SVG)", "Download the map (SVG)"),
    "dl.group": ("Descarregar os dados mostrados", "Download the data shown"),
    "no_data": ("Sem dados para esta seleção.", "No data for this selection."),
    # units
    "unit.persons": ("pessoas", "persons"),
    "unit.sessions": ("sessões", "sessions"),
    "unit.rate_100k": ("por 100 000 hab.", "per 100,000 residents"),
    "unit.percent": ("%", "%"),
    "unit.documents": ("documentos", "documents"),
    "unit.count": ("número", "number"),
    "audience.public": ("público", "public"),
    "audience.donor": ("doador", "donor"),
    "audience.analyst": ("analista", "analyst"),
    "audience.partner": ("parceiro", "partner"),
}

# Partners' "Submit" page (dashboards/pages/submit.py) and the upload audit trail.
TEXT.update({
    "page.submit": ("Enviar", "Submit"),
    "submit.placeholder": ("Entrega dos reportes mensais do parceiro.",
                           "Hand-in of the partner's monthly returns."),
    "submit.intro": ("Entregue aqui os reportes mensais de {partner}. O ficheiro é verificado "
                     "de imediato, com as mesmas regras que o observatório aplica ao carregar "
                     "os reportes.",
                     "Hand in the monthly returns of {partner} here. The file is checked at "
                     "once, with the same rules the observatory applies when it loads "
                     "returns."),
    "submit.send": ("Enviar um reporte", "Send a return"),
    "submit.return_type": ("Tipo de reporte", "Return type"),
    "submit.period": ("Período", "Period"),
    "submit.infer": ("Ler do ficheiro", "Read from the file"),
    "submit.reason": ("Motivo da substituição (obrigatório quando reenvia um reporte já "
                      "entregue)", "Reason for the replacement (required when you re-send a "
                      "return already handed in)"),
    "submit.drop": ("Arraste o ficheiro para aqui ou ", "Drag the file here or "),
    "submit.choose": ("escolha um ficheiro", "choose a file"),
    "submit.limits": ("CSV (.csv) ou Excel (.xlsx) feito a partir do modelo, no máximo {kb} KB.",
                      "CSV (.csv) or Excel (.xlsx) made from the template, at most {kb} KB."),
    "submit.too_large": ("O ficheiro {name} tem {size} KB e não foi enviado: o limite é {kb} KB. "
                         "Divida o reporte (por exemplo, um ficheiro por mês) ou retire linhas "
                         "vazias e envie de novo.",
                         "The file {name} is {size} KB and was not sent: the limit is {kb} KB. "
                         "Split the return (for example, one file per month) or remove empty "
                         "rows and send it again."),
    "submit.wrong_type": ("O ficheiro {name} não foi enviado: só são aceites ficheiros CSV (.csv) "
                          "ou Excel (.xlsx) feitos a partir do modelo.",
                          "The file {name} was not sent: only CSV (.csv) or Excel (.xlsx) files "
                          "made from the template are accepted."),
    "submit.bad_upload": ("O ficheiro não pôde ser lido pelo navegador; tente de novo.",
                          "The browser could not send the file; try again."),
    "submit.accepted": ("Reporte recebido", "Return received"),
    "submit.accepted_body": ("O ficheiro é válido e foi entregue para carregamento; o estado "
                             "abaixo mostra quando for carregado e publicado. Guarde o recibo.",
                             "The file is valid and has been handed on for loading; the status "
                             "below shows when it is loaded and published. Keep the receipt."),
    "submit.rejected": ("Reporte rejeitado", "Return rejected"),
    "submit.rejected_body": ("Nada foi carregado. Corrija os problemas abaixo e envie o "
                             "ficheiro de novo; o original ficou guardado em quarentena com "
                             "este relatório.",
                             "Nothing was loaded. Fix the problems below and send the file "
                             "again; the original is kept in quarantine with this report."),
    "submit.duplicate": ("Ficheiro já recebido", "File already received"),
    "submit.duplicate_body": ("Este conteúdo é idêntico a um ficheiro já entregue; não há nada "
                              "de novo para carregar.",
                              "This content is identical to a file already handed in; there "
                              "is nothing new to load."),
    "submit.duplicate_version": ("Versão já recebida: {versions}. Nada foi enviado para "
                                 "carregamento e não é criada uma versão nova.",
                                 "Version already received: {versions}. Nothing was handed "
                                 "over for loading and no new version is created."),
    "submit.reason_required": ("Este ficheiro substitui um reporte já entregue",
                               "This file replaces a return already handed in"),
    "submit.reason_required_body": ("Escreva o motivo da substituição e envie o ficheiro de "
                                    "novo. Nada foi guardado.",
                                    "Type the reason for the replacement and send the file "
                                    "again. Nothing was stored."),
    "submit.problems": ("Problemas encontrados: {n}", "Problems found: {n}"),
    "submit.template_hint": ("Use o modelo preenchido (abaixo) para evitar estes problemas.",
                             "Use the pre-filled template (below) to avoid these problems."),
    "submit.template_link": ("Ir para o modelo", "Go to the template"),
    "submit.receipt": ("Recibo", "Receipt"),
    "submit.download_receipt": ("Descarregar recibo", "Download receipt"),
    "submit.download_report": ("Descarregar relatório", "Download report"),
    "submit.col.where": ("Onde", "Where"),
    "submit.col.rule": ("Regra", "Rule"),
    "submit.col.message": ("Descrição", "Description"),
    "submit.col.receipt": ("N.º do recibo", "Receipt no."),
    "submit.col.partner": ("Parceiro", "Partner"),
    "submit.col.return_type": ("Tipo de reporte", "Return type"),
    "submit.col.period": ("Período", "Period"),
    "submit.col.version": ("Versão", "Version"),
    "submit.col.rows": ("Linhas", "Rows"),
    "submit.col.received": ("Recebido em", "Received at"),
    "submit.col.file": ("Ficheiro", "File"),
    "submit.col.user": ("Utilizador", "User"),
    "submit.col.reason": ("Motivo", "Reason"),
    "submit.col.status": ("Estado", "Status"),
    "submit.col.result": ("Resultado", "Result"),
    "submit.col.due": ("Prazo", "Due"),
    "submit.col.actions": ("Documentos", "Documents"),
    "submit.where.row": ("linha {row}", "row {row}"),
    "submit.where.column": ("coluna {column}", "column {column}"),
    "submit.where.sheet": ("folha {sheet}", "sheet {sheet}"),
    "submit.where.file": ("ficheiro", "file"),
    "submit.calendar": ("Calendário de entregas", "Returns calendar"),
    "submit.calendar_year": ("Meses", "Months"),
    "submit.last_12": ("Últimos 12 meses", "Last 12 months"),
    "submit.calendar_hint": ("Reportes que o OTSH espera de {partner}: o reporte de cada mês "
                             "deve ser entregue até {days} dias após o fim desse mês.",
                             "Returns OTSH expects from {partner}: each month's return is due "
                             "{days} days after the end of that month."),
    "submit.state.received": ("recebido", "received"),
    "submit.state.late": ("recebido com atraso", "received late"),
    "submit.state.rejected": ("rejeitado", "rejected"),
    "submit.state.missing": ("em falta", "missing"),
    "submit.state.due": ("por entregar", "not yet due"),
    "submit.state.revised_on": ("{state}; revisto em {date}", "{state}; revised on {date}"),
    "submit.state.revised": ("{state}; revisto", "{state}; revised"),
    "submit.replaced_by": ("substituída pela v{version}", "replaced by v{version}"),
    "submit.replaces_on": ("substitui a v{version} de {date}", "replaces v{version} of {date}"),
    "submit.replaces": ("substitui a v{version}", "replaces v{version}"),
    "submit.identical_version": ("Ficheiro idêntico à versão {versions} — não foi carregado "
                                 "de novo", "Identical to version {versions} — not loaded "
                                 "again"),
    "submit.identical_loaded": ("Ficheiro idêntico a um ficheiro já carregado — não foi "
                                "carregado de novo", "Identical to a file already loaded — "
                                "not loaded again"),
    "submit.type_unknown": ("não indicado no ficheiro nem no nome do ficheiro",
                            "not stated in the file or its name"),
    "submit.col.received_local": ("Recebido em (hora de Lisboa)", "Received at (Lisbon time)"),
    "submit.lisbon_time": ("hora de Lisboa", "Lisbon time"),
    "submit.history": ("As suas entregas", "Your submissions"),
    "submit.history_empty": ("Ainda não entregou nenhum ficheiro por esta página.",
                             "No file handed in through this page yet."),
    "submit.progress.received": ("recebido → à espera de carregamento",
                                 "received → waiting to be loaded"),
    "submit.progress.loaded": ("recebido → carregado → à espera de publicação",
                               "received → loaded → waiting for a release"),
    "submit.progress.in_release": ("recebido → carregado → na publicação {release}",
                                   "received → loaded → in release {release}"),
    "submit.progress.rejected_at_load": ("rejeitado no carregamento (contacte o OTSH)",
                                         "rejected when loaded (contact OTSH)"),
    "submit.progress.duplicate": ("idêntico a um ficheiro já entregue",
                                  "identical to a file already handed in"),
    "submit.progress.rejected": ("rejeitado", "rejected"),
    "submit.progress.reason_required": ("não guardado: falta o motivo da substituição",
                                        "not stored: the reason for the replacement is missing"),
    "submit.template": ("Modelo", "Template"),
    "submit.template_body": ("Modelo Excel preenchido com a sua organização e o período, com "
                             "listas de códigos e instruções.",
                             "Excel template filled in with your organisation and the period, "
                             "with code lists and instructions."),
    "submit.template_button": ("Descarregar modelo (XLSX)", "Download template (XLSX)"),
    "submit.other_partner": ("Só pode ver as entregas da sua própria organização.",
                             "You can only see your own organisation's submissions."),
    "submit.audit": ("Registo de envios pelo painel", "Uploads through the dashboard"),
    "submit.audit_hint": ("Quem enviou o quê e quando (interno: nunca publicado).",
                          "Who uploaded what and when (internal: never published)."),
    "submit.audit_empty": ("Nenhum envio pelo painel.", "No upload through the dashboard."),
    # the log's source line and its downloads' notes (dashboards/upload_audit.py)
    "submit.audit_source": ("OTSH, registo dos envios feitos pelo painel (página Enviar), "
                            "lido em {when} (hora de Lisboa)",
                            "OTSH, log of the uploads made through the dashboard (Submit "
                            "page), read on {when} (Lisbon time)"),
    "submit.audit_internal": ("Os nomes dos ficheiros são os que os parceiros lhes deram: "
                              "não partilhe este ficheiro fora do OTSH.",
                              "File names are as the partners named them: do not share "
                              "this file outside OTSH."),
    "submit.audit_limit": ("Só os {n} envios mais recentes.", "Only the {n} newest uploads."),
    "submit.result.accepted": ("aceite", "accepted"),
    "submit.result.rejected": ("rejeitado", "rejected"),
    "submit.result.duplicate": ("duplicado", "duplicate"),
    "submit.result.reason_required": ("sem motivo", "reason missing"),
})

# Access and errors (dashboards/access.py, dashboards/hardening.py).
TEXT.update({
    "auth.title": ("Iniciar sessão", "Sign in"),
    "auth.username": ("Nome de utilizador", "User name"),
    "auth.password": ("Palavra-passe", "Password"),
    "auth.submit": ("Entrar", "Sign in"),
    "auth.login": ("Iniciar sessão", "Sign in"),
    "auth.logout": ("Terminar sessão", "Sign out"),
    "auth.signed_in": ("Sessão de {user} ({role})", "Signed in as {user} ({role})"),
    "auth.hint": ("Organizações parceiras: inicie sessão com a conta que a equipa do OTSH "
                  "criou para a sua organização. Poderá enviar os reportes mensais, "
                  "descarregar o modelo já preenchido e acompanhar cada ficheiro até à "
                  "publicação; só vê os ficheiros da sua organização.",
                  "Partner organisations: sign in with the account the OTSH team created for "
                  "your organisation. You can then send your monthly returns, download the "
                  "template filled in for you and follow each file until it is published; "
                  "you see only your own organisation's files."),
    "auth.hint_others": ("Doadores e analistas recebem também a conta da equipa do OTSH. Sem "
                         "conta ou sem palavra-passe? Contacte a equipa do OTSH "
                         "(www.otsh.mai.gov.pt). As páginas públicas não exigem sessão.",
                         "Donors and analysts also get their account from the OTSH team. No "
                         "account or forgotten password? Contact the OTSH team "
                         "(www.otsh.mai.gov.pt). The public pages need no sign-in."),
    "auth.back": ("Voltar ao painel", "Back to the dashboard"),
    "auth.failed": ("Nome de utilizador ou palavra-passe incorretos.",
                    "Incorrect user name or password."),
    "auth.too_many": ("Demasiadas tentativas falhadas. Tente novamente dentro de {minutes} "
                      "min.", "Too many failed attempts. Try again in {minutes} min."),
    "auth.expired": ("O formulário expirou. Recarregue a página e tente novamente.",
                     "The form has expired. Reload the page and try again."),
    "auth.required": ("É necessário iniciar sessão.", "Please sign in."),
    "auth.required_title": ("Sessão necessária", "Sign-in required"),
    "auth.required_body": ("Esta página é reservada. Inicie sessão com uma conta autorizada.",
                           "This page is restricted. Sign in with an authorised account."),
    "auth.forbidden_title": ("Acesso não autorizado", "Not allowed"),
    "auth.forbidden": ("A sua conta não tem acesso a esta página.",
                       "Your account does not have access to this page."),
    "err.400": ("Pedido inválido", "Bad request"),
    "err.401": ("É necessário iniciar sessão.", "Please sign in."),
    "err.403": ("Acesso não autorizado", "Not allowed"),
    "err.404": ("Página não encontrada", "Page not found"),
    "err.405": ("Método não permitido", "Method not allowed"),
    "err.413": ("Pedido demasiado grande", "Request too large"),
    "err.429": ("Demasiados pedidos. Tente mais tarde.", "Too many requests. Try again later."),
    "err.500": ("Ocorreu um erro inesperado. A equipa foi notificada nos registos do "
                "servidor; tente novamente mais tarde.",
                "An unexpected error occurred. It was recorded in the server log; please try "
                "again later."),
})


# Issue 13 (dashboard pages): trends, controls, map, downloads, phone, cards, methodology.
TEXT.update({
    "app.not_found_home": ("Voltar à página inicial", "Back to the home page"),
    "app.filters": ("Filtros", "Filters"),
    "flag.legend_r": ("Revisto (r)", "Revised (r)"),
    "ctl.level": ("Nível", "Level"),
    "level.main": ("Grupos", "Groups"),
    "level.detail": ("Detalhe", "Detail"),
    "tr.footnote": (
        "Notas: c = confidencial (suprimido para proteger as pessoas; cruz na base, da cor da sua "
        "linha), e = estimado (taxa por sexo sobre população por sexo estimada; quadrado), p = "
        "provisório (falta o reporte de um parceiro para o período; o valor pode mudar — ponto "
        "vazio), r = revisto: diferente do valor publicado numa versão anterior (losango). "
        "Passe o cursor sobre um ponto (ou toque nele) para ver o motivo.",
        "Notes: c = confidential (suppressed to protect people; a cross on the baseline, in its "
        "line's colour), e = estimated (rate by sex on an estimated population by sex; square), p "
        "= provisional (a partner's return for the period is missing; the value may change — "
        "hollow point), r = revised: differs from the value an earlier release published "
        "(diamond). Hover over or tap a point to see why."),
    "tr.missing": ("Reportes em falta: {returns}", "Missing returns: {returns}"),
    # the public's and donors' words: which partner's return is missing is data quality,
    # the analysts' (they read tr.missing)
    "tr.missing_unnamed": ("Falta o reporte de um parceiro para este período",
                           "A partner's return for this period is missing"),
    "tr.more": (" e mais {n}", " and {n} more"),
    "tr.only_at": ("só por {grains}", "only by {grains}"),
    "tr.only_national": ("só a nível nacional", "national only"),
    "tr.not_this": ("não publicado para esta escolha", "not published for this choice"),
    "tr.not_published": ("A desagregação «{breakdown}» não é publicada por {grain} para esta "
                         "área ({where}): os números seriam demasiado pequenos para proteger "
                         "as pessoas.",
                         "The breakdown '{breakdown}' is not published by {grain} for this "
                         "area ({where}): the figures would be too small to protect people."),
    "tr.not_published_total": ("Os valores não são publicados por {grain} para esta área "
                               "({where}): os números seriam demasiado pequenos para proteger "
                               "as pessoas.",
                               "Values are not published by {grain} for this area ({where}): "
                               "the figures would be too small to protect people."),
    "tr.none_published": ("Nenhum valor de {area} é publicado por {grain} nesta escolha: os "
                          "números seriam demasiado pequenos para proteger as pessoas (ver "
                          "Metodologia).",
                          "No value for {area} is published by {grain} for this choice: the "
                          "figures would be too small to protect people (see Methodology)."),
    "tr.other_grain_years": (
        "Por {grain}, os valores são publicados só para {shown}; para {years}, só por "
        "períodos mais longos, para proteger as pessoas contadas (ver Metodologia).",
        "By {grain}, values are published for {shown} only; for {years}, by longer periods "
        "only, to protect the persons counted (see Methodology)."),
    "tr.fix_grain": ("Mostrar por {grain}", "Show by {grain}"),
    "tr.fix_national": ("Mostrar Portugal por ano", "Show Portugal by year"),
    "tr.left_out.one": ("Sem desagregação «{breakdown}» em {periods}: não é publicada para "
                        "esse período, para proteger as pessoas contadas (ver Metodologia); o "
                        "total está publicado.",
                        "No breakdown '{breakdown}' for {periods}: it is not published for "
                        "that period, to protect the persons counted (see Methodology); the "
                        "total is published."),
    "tr.left_out.other": ("Sem desagregação «{breakdown}» em {periods}: não é publicada para "
                          "esses períodos, para proteger as pessoas contadas (ver Metodologia); "
                          "o total está publicado.",
                          "No breakdown '{breakdown}' for {periods}: it is not published for "
                          "those periods, to protect the persons counted (see Methodology); the "
                          "total is published."),
    "tr.c_why": ("oculto para proteger as pessoas contadas (não é necessariamente um número "
                 "pequeno)",
                 "hidden to protect the persons counted (not necessarily a small number)"),
    "map.left_out_status": ("não publicado para este período, para proteger as pessoas "
                            "contadas",
                            "not published for this period, to protect the persons counted"),
    "tr.left_out_status": ("não publicado (ver nota)", "not published (see the note)"),
    "tr.left_out_area.one": ("Sem valor para {area} em {periods}: não é publicado para esse "
                             "período, para proteger as pessoas contadas (ver Metodologia); o "
                             "total nacional está publicado.",
                             "No value for {area} for {periods}: it is not published for that "
                             "period, to protect the persons counted (see Methodology); the "
                             "national total is published."),
    "tr.left_out_area.other": ("Sem valor para {area} em {periods}: não é publicado para esses "
                               "períodos, para proteger as pessoas contadas (ver Metodologia); o "
                               "total nacional está publicado.",
                               "No value for {area} for {periods}: it is not published for "
                               "those periods, to protect the persons counted (see "
                               "Methodology); the national total is published."),
    "tr.top": ("O gráfico mostra as {n} categorias com valores mais altos (de {total}); a "
               "tabela abaixo tem todas.",
               "The chart shows the {n} categories with the highest values (of {total}); the "
               "table below has all of them."),
    "rt.victims": ("vítimas", "victims"),
    "rt.support": ("apoio", "support"),
    "rt.activities": ("atividades", "activities"),
    # map
    "map.outside": ("Fora do mapa: sinalizadas no estrangeiro, {abroad}; em distrito "
                    "desconhecido, {unknown}. Com os distritos, somam o total nacional "
                    "({national}).",
                    "Not on the map: signalled abroad, {abroad}; in an unknown district, "
                    "{unknown}. With the districts they add up to the national total "
                    "({national})."),
    "map.outside_rate": ("As taxas por distrito excluem as pessoas sinalizadas no estrangeiro "
                         "ou em distrito desconhecido; a taxa nacional inclui-as ({national}).",
                         "District rates leave out persons signalled abroad or in an unknown "
                         "district; the national rate includes them ({national})."),
    "map.classes": ("Cores por quintis dos valores publicados (claro = baixo, escuro = alto); "
                    "cinzento-escuro com ponto branco = confidencial (c), cinzento-claro = não "
                    "disponível.",
                    "Colours by quintiles of the published values (light = low, dark = high); "
                    "dark grey with a white dot = confidential (c), pale grey = not available."),
    # overview
    "ov.section_none": ("Por distrito, os números mensais não são publicados (seriam demasiado "
                        "pequenos para proteger as pessoas): as pessoas sinalizadas são "
                        "publicadas por trimestre, ano até à data e ano civil; as restantes "
                        "por ano civil.",
                        "By district, monthly figures are not published (they would be too "
                        "small to protect people): persons signalled are published by "
                        "quarter, year to date and calendar year; the other figures by "
                        "calendar year."),
    "ov.section_none_ytd": ("Para {district}, nem o ano até à data é publicado no período "
                            "mais recente, para proteger as pessoas contadas (ver "
                            "Metodologia); veja o ano civil abaixo.",
                            "For {district}, the year to date is not published for the latest "
                            "period either, to protect the persons counted (see Methodology); see "
                            "the calendar year below."),
    "ov.section_none_title": ("Números mensais e do ano até à data",
                              "Monthly and year-to-date figures"),
    "ov.section_none_month": ("Números mensais", "Monthly figures"),
    "ov.confidential": ("confidencial", "confidential"),
    "ov.read.up": ("Aumento de {pct} face a {prev}.", "Up {pct} on {prev}."),
    "ov.read.down": ("Diminuição de {pct} face a {prev}.", "Down {pct} on {prev}."),
    "ov.read.flat": ("Sem variação face a {prev}.", "No change on {prev}."),
    "ov.read.previous": ("Em {prev}: {value}.", "In {prev}: {value}."),
    "ov.read.nocompare": ("Sem comparação possível (valor confidencial).",
                          "No comparison possible (confidential value)."),
    "ov.read.nocompare_na": ("Sem comparação possível (valor não disponível).",
                             "No comparison possible (value not available)."),
    "ov.read.noprev": ("Sem período anterior comparável.", "No comparable previous period."),
    "ov.spark_span": ("{start} – {end}", "{start} – {end}"),
    "ov.findings": ("Principais resultados", "Key findings"),
    "ov.find.total": ("Em {period}, foram sinalizadas {value} pessoas como (possíveis) vítimas "
                      "de tráfico em Portugal ({change}).",
                      "In {period}, {value} persons were signalled as (possible) victims of "
                      "trafficking in Portugal ({change})."),
    "ov.find.change_up": ("mais {pct} do que em {prev}", "{pct} more than in {prev}"),
    "ov.find.change_down": ("menos {pct} do que em {prev}", "{pct} fewer than in {prev}"),
    "ov.find.change_same": ("o mesmo que em {prev}", "the same as in {prev}"),
    "ov.find.change_none": ("sem comparação com o ano anterior",
                            "no comparison with the previous year"),
    "ov.find.share": ("{name}: {value} das pessoas sinalizadas.",
                      "{name}: {value} of persons signalled."),
    "ov.find.top_district": ("Taxa mais alta por 100 000 habitantes: {district} ({value}).",
                             "Highest rate per 100,000 residents: {district} ({value})."),
    "ov.find.provisional": ("Valores marcados «p» são provisórios: falta o reporte de algum "
                            "parceiro.",
                            "Values flagged 'p' are provisional: a partner's return is "
                            "missing."),
    # downloads: notes block / sheet
    "dl.notes": ("Notas", "Notes"),
    "dl.title": ("Título", "Title"),
    "dl.source": ("Fonte", "Source"),
    "dl.source_text": ("Observatório do Tráfico de Seres Humanos (OTSH), a partir dos reportes "
                       "mensais agregados dos parceiros", "Observatory on Trafficking in Human "
                       "Beings (OTSH), from partners' aggregated monthly returns"),
    # the source line under every table and chart on screen: "Fonte: " + dl.source_text, the
    # population of the rates (only under rates) and the release the figures come from
    "src.population": ("população: INE, Censos 2021 (distritos e por sexo) e população "
                       "residente em 1 de janeiro de cada ano (Portugal; INE / Eurostat "
                       "demo_pjan)",
                       "population: INE, Census 2021 (districts and by sex) and resident "
                       "population on 1 January of each year (Portugal; INE / Eurostat "
                       "demo_pjan)"),
    "src.release": ("versão publicada {release}, de {created}",
                    "release {release} of {created}"),
    "dl.release": ("Versão publicada", "Release"),
    "dl.release_date": ("Data da versão", "Release date"),
    "dl.period": ("Período", "Period"),
    "dl.language": ("Língua", "Language"),
    "dl.language_name": ("Português", "English"),
    "dl.units": ("Unidades", "Units"),
    "dl.note": ("Nota", "Note"),
    "dl.units_text": ("Contagens em números inteiros; taxas por 100 000 habitantes e "
                      "percentagens com 1 casa decimal, arredondadas como no ecrã.",
                      "Counts as whole numbers; rates per 100,000 residents and percentages "
                      "with 1 decimal, rounded as on screen."),
    "check.unusual_volume": (
        "{which}: total {total}, face a um mês habitual de {usual} (mediana de {months} "
        "meses dos 12 anteriores): verifique o reporte",
        "{which}: total {total}, against a usual month of {usual} (median of {months} of the "
        "12 months before): check the return"),
    "dl.release_note": ("Nota da versão", "Release note"),
    "dl.flags": ("Sinais dos valores", "Flags"),
    # the address of the methodology (its section on protecting small counts) in a download
    "dl.methodology": ("Metodologia (controlo de divulgação)",
                       "Methodology (disclosure control)"),
    "dl.page_at": ("{page}: {url}", "{page}: {url}"),
    "dl.definition": ("Definição — {name}", "Definition — {name}"),
    "dl.synthetic": ("Aviso", "Notice"),
    "dl.licence": ("Licença", "Licence"),
    "dl.licence_text": ("CC BY 4.0 — pode reutilizar citando a fonte.",
                        "CC BY 4.0 — reuse freely with attribution."),
    "dl.licence_internal": ("Uso interno do OTSH: não é uma estatística publicada; não a "
                            "divulgue fora do OTSH.",
                            "Internal OTSH use: not a published statistic; do not share it "
                            "outside OTSH."),
    "dl.cite": ("Como citar", "How to cite"),
    "dl.cite_text": ("OTSH — Observatório do Tráfico de Seres Humanos ({year}). {title}. "
                     "Versão {release}.",
                     "OTSH — Observatory on Trafficking in Human Beings ({year}). {title}. "
                     "Release {release}."),
    "dl.all_periods": ("todos", "all"),
    # methodology
    "me.partners": ("Parceiros que reportam", "Reporting partners"),
    "me.partners_intro": ("Os números resultam dos reportes mensais agregados destas "
                          "entidades (cada uma seguida dos tipos de reporte que envia):",
                          "The figures come from the aggregated monthly returns of these "
                          "organisations (each followed by the return types it sends):"),
    "me.calendar": ("Calendário de publicação", "Release calendar"),
    "revisions.hidden.one": ("{n} contagem publicada antes e agora revista por menos pessoas "
                             "do que o limiar está suprimida nesta publicação (quem compare "
                             "as publicações veria quantas pessoas a revisão acrescentou ou "
                             "retirou)",
                             "{n} count published before and now revised by fewer persons "
                             "than the threshold is suppressed in this release (a reader "
                             "comparing the releases would see how many persons the revision "
                             "added or removed)"),
    "revisions.hidden.other": ("{n} contagens publicadas antes e agora revistas por menos "
                               "pessoas do que o limiar estão suprimidas nesta publicação "
                               "(quem compare as publicações veria quantas pessoas a revisão "
                               "acrescentou ou retirou)",
                               "{n} counts published before and now revised by fewer persons "
                               "than the threshold are suppressed in this release (a reader "
                               "comparing the releases would see how many persons the "
                               "revision added or removed)"),
    "revisions.small.one": ("{n} contagem revista, face a uma publicação anterior, por "
                            "menos pessoas do que o limiar de confidencialidade, que quem "
                            "compare as duas vê ou delimita",
                            "{n} count revised, against an earlier release, by fewer persons "
                            "than the confidentiality threshold, which a reader comparing the "
                            "two sees or bounds"),
    "revisions.small.other": ("{n} contagens revistas, face a uma publicação anterior, por "
                              "menos pessoas do que o limiar de confidencialidade, que quem "
                              "compare as duas vê ou delimita",
                              "{n} counts revised, against an earlier release, by fewer "
                              "persons than the confidentiality threshold, which a reader "
                              "comparing the two sees or bounds"),
    "summary.since": ("Desde {previous}: {new} e {revised}; {changed}, {added}, {removed}.",
                      "Since {previous}: {new} and {revised}; {changed}, {added}, {removed}."),
    "summary.new.one": ("{n} reporte novo", "{n} new return"),
    "summary.new.other": ("{n} reportes novos", "{n} new returns"),
    "summary.revised.one": ("{n} revisto", "{n} revised"),
    "summary.revised.other": ("{n} revistos", "{n} revised"),
    "summary.changed.one": ("{n} valor alterado", "{n} value changed"),
    "summary.changed.other": ("{n} valores alterados", "{n} values changed"),
    "summary.hidden.one": ("Dos valores publicados antes, {n} não está publicado agora: "
                           "oculto (c) ou omitido.",
                           "Of the values published before, {n} is not published now: hidden "
                           "(c) or left out."),
    "summary.hidden.other": ("Dos valores publicados antes, {n} não estão publicados agora: "
                             "ocultos (c) ou omitidos.",
                             "Of the values published before, {n} are not published now: "
                             "hidden (c) or left out."),
    "summary.added.one": ("{n} acrescentado", "{n} added"),
    "summary.added.other": ("{n} acrescentados", "{n} added"),
    "summary.removed.one": ("{n} retirado", "{n} removed"),
    "summary.removed.other": ("{n} retirados", "{n} removed"),
    "me.calendar_text": ("Uma nova versão é publicada todos os meses, no dia 5 às 06:00 (hora "
                         "de Lisboa), com os reportes do mês anterior. Um ficheiro corrigido "
                         "ou tardio é carregado logo que é validado e entra na versão "
                         "seguinte: a do dia 5, ou uma antecipada quando o OTSH corre a "
                         "atualização.",
                         "A new release is published every month, on the 5th at 06:00 "
                         "(Lisbon time), with the previous month's returns. A corrected or "
                         "late file is loaded as soon as it is validated and appears in the "
                         "next release: the one on the 5th, or an earlier one when OTSH runs "
                         "the refresh."),
    "me.revisions": ("Revisões", "Revisions"),
    "me.revisions_text": ("Um valor é provisório (p) enquanto faltar o reporte de algum "
                          "parceiro para o período; quando o reporte chega, ou um parceiro "
                          "corrige um ficheiro, o valor é recalculado e marcado revisto (r) "
                          "na versão seguinte (ou fica oculto, c, se mudou em menos pessoas "
                          "do que o limiar: ver a política de versões). As versões "
                          "anteriores continuam identificadas pelo seu código.",
                          "A value is provisional (p) while a partner's return for the "
                          "period is missing; when it arrives, or a partner corrects a file, "
                          "the value is recomputed and flagged revised (r) in the next "
                          "release (or hidden, c, if it changed by fewer persons than the "
                          "threshold: see the release policy). Earlier releases remain "
                          "identified by their code."),
    "me.suppression_plain": ("Em palavras simples: nunca publicamos um número que permita "
                             "reconhecer uma pessoa. Contagens pequenas aparecem como «c» "
                             "(confidencial) — nunca como zero — e outras células são "
                             "escondidas quando deixariam recalculá-las; um «c» não é, por "
                             "isso, necessariamente um número pequeno (também esconde, por "
                             "exemplo, uma contagem que um reporte tardio mudou em poucas "
                             "pessoas).",
                             "In plain words: we never publish a number that could identify "
                             "a person. Small counts show as 'c' (confidential) — never as "
                             "zero — and other cells are hidden when they would let someone "
                             "work them out; so a 'c' is not necessarily a small number (it "
                             "also hides, for example, a count that a late return changed by "
                             "a few persons)."),
    "me.population_title": ("Populações usadas nas taxas", "Populations used for rates"),
    "me.pop_district": ("Taxas por distrito e região autónoma: população residente dos Censos "
                        "2021 (INE, resultados definitivos).",
                        "Rates by district and autonomous region: resident population of the "
                        "2021 Census (INE, definitive results)."),
    "me.pop_national": ("Taxa nacional: população residente em 1 de janeiro de cada ano "
                        "(INE / Eurostat demo_pjan).",
                        "National rate: resident population on 1 January of each year (INE / "
                        "Eurostat demo_pjan)."),
    "me.pop_sex": ("Taxas por sexo: população por sexo dos Censos 2021 (INE); em Braga, "
                   "Bragança, Porto e Viana do Castelo, estimada a partir da BGRI 2021 e "
                   "ajustada aos totais do INE (sinal «e»).",
                   "Rates by sex: Census 2021 population by sex (INE); in Braga, Bragança, "
                   "Porto and Viana do Castelo estimated from the BGRI 2021 and adjusted to "
                   "INE's totals (flag \"e\")."),
    "me.contact": ("Contacto", "Contact"),
    "me.contact_text": ("Observatório do Tráfico de Seres Humanos (OTSH), Secretaria-Geral do "
                        "Ministério da Administração Interna — www.otsh.mai.gov.pt",
                        "Observatory on Trafficking in Human Beings (OTSH), General "
                        "Secretariat of the Ministry of Internal Administration — "
                        "www.otsh.mai.gov.pt"),
    "me.cite": ("Como citar", "How to cite"),
})

# Counted words: ``tn(key, n, lang)`` picks ``key.one`` for n == 1 and ``key.other`` otherwise
# (Portuguese and English both say "0 problemas" / "0 problems"), never "problema(s)".
TEXT.update({
    "n.problems.one": ("{n} problema", "{n} problem"),
    "n.problems.other": ("{n} problemas", "{n} problems"),
    "n.files_outside.one": ("{n} ficheiro fora da caixa de entrada: copiado, o original ficou "
                            "onde estava",
                            "{n} file outside the inbox: copied, the original was left where "
                            "it was"),
    "n.files_outside.other": ("{n} ficheiros fora da caixa de entrada: copiados, os originais "
                              "ficaram onde estavam",
                              "{n} files outside the inbox: copied, the originals were left "
                              "where they were"),
    "n.rows.one": ("{n} linha", "{n} row"),
    "n.rows.other": ("{n} linhas", "{n} rows"),
    "n.files.one": ("{n} ficheiro", "{n} file"),
    "n.files.other": ("{n} ficheiros", "{n} files"),
    "n.valid.one": ("{n} válido", "{n} valid"),
    "n.valid.other": ("{n} válidos", "{n} valid"),
    "n.invalid.one": ("{n} inválido", "{n} invalid"),
    "n.invalid.other": ("{n} inválidos", "{n} invalid"),
    "n.invalid_cells.one": ("{n} célula com contagem ou período inválido",
                            "{n} cell with an invalid count or period"),
    "n.invalid_cells.other": ("{n} células com contagem ou período inválido",
                              "{n} cells with an invalid count or period"),
    "n.loaded.one": ("{n} carregado", "{n} loaded"),
    "n.loaded.other": ("{n} carregados", "{n} loaded"),
    "n.rejected.one": ("{n} rejeitado", "{n} rejected"),
    "n.rejected.other": ("{n} rejeitados", "{n} rejected"),
    "n.duplicate.one": ("{n} duplicado", "{n} duplicate"),
    "n.duplicate.other": ("{n} duplicados", "{n} duplicates"),
    "rej.summary": ("{problems}; primeiro: {rule}{row}", "{problems}; first: {rule}{row}"),
    "rej.row": (", linha {row}", ", row {row}"),
})

# Gate refusals and audit reports (publication, release-wide audit, disclosure audit): the
# operator reads them in both languages, "PT / EN", built with ``tn_both``.
TEXT.update({
    "gate.small_counts.one": ("{n} contagem pequena não protegida",
                              "{n} unprotected small count"),
    "gate.small_counts.other": ("{n} contagens pequenas não protegidas",
                                "{n} unprotected small counts"),
    "gate.revisions.one": ("{n} contagem revista por menos pessoas do que o limiar, face a "
                           "uma publicação anterior",
                           "{n} count revised by fewer persons than the threshold, against "
                           "an earlier release"),
    "gate.revisions.other": ("{n} contagens revistas por menos pessoas do que o limiar, face "
                             "a uma publicação anterior",
                             "{n} counts revised by fewer persons than the threshold, against "
                             "an earlier release"),
    "gate.release_proves.one": ("a auditoria da publicação prova {n} contagem pequena",
                                "the release-wide audit proves {n} small count"),
    "gate.release_proves.other": ("a auditoria da publicação prova {n} contagens pequenas",
                                  "the release-wide audit proves {n} small counts"),
    "gate.eea_small.one": ("{n} resultado EEA com contagem pequena não protegida",
                           "{n} EEA result with an unprotected small count"),
    "gate.eea_small.other": ("{n} resultados EEA com contagem pequena não protegida",
                             "{n} EEA results with an unprotected small count"),
    "gate.digests.one": ("{n} digest de ficheiro original na publicação",
                         "{n} digest of a partner original in the release"),
    "gate.digests.other": ("{n} digests de ficheiros originais na publicação",
                           "{n} digests of partner originals in the release"),
    "gate.union_disclosed.one": ("união das publicações retidas: {n} célula divulgada",
                                 "union of the retained releases: {n} disclosed cell"),
    "gate.union_disclosed.other": ("união das publicações retidas: {n} células divulgadas",
                                   "union of the retained releases: {n} disclosed cells"),
    "audit.failed.one": ("AUDITORIA FALHOU: {n} célula desprotegida",
                         "AUDIT FAILED: {n} unprotected cell"),
    "audit.failed.other": ("AUDITORIA FALHOU: {n} células desprotegidas",
                           "AUDIT FAILED: {n} unprotected cells"),
    "audit.release_failed.one": ("AUDITORIA DA PUBLICAÇÃO FALHOU: {n} célula divulgada",
                                 "RELEASE AUDIT FAILED: {n} disclosed cell"),
    "audit.release_failed.other": ("AUDITORIA DA PUBLICAÇÃO FALHOU: {n} células divulgadas",
                                   "RELEASE AUDIT FAILED: {n} disclosed cells"),
    "audit.unknowns.one": ("{n} incógnita", "{n} unknown"),
    "audit.unknowns.other": ("{n} incógnitas", "{n} unknowns"),
    "audit.relations.one": ("{n} relação", "{n} relation"),
    "audit.relations.other": ("{n} relações", "{n} relations"),
    "audit.lp_how": ("programa linear/inteiro com {unknowns}, {relations}",
                     "linear/integer programme over {unknowns}, {relations}"),
    "n.folders.one": ("{n} pasta", "{n} folder"),
    "n.folders.other": ("{n} pastas", "{n} folders"),
    "n.releases_compared.one": ("comparada com {n} publicação anterior",
                                "compared with {n} earlier release"),
    "n.releases_compared.other": ("comparada com {n} publicações anteriores",
                                  "compared with {n} earlier releases"),
})

# Validation messages of partner returns (indicators/validation): ``val.<rule>`` is the
# message of a rule's problem after its location (file, sheet, row, column); every rule
# has one (tests/indicators/validation/test_rule_registry.py). Placeholders: {value} plus
# the rule's parameters.
TEXT.update({
    "val.file_too_large": (
        "o ficheiro tem {size} bytes, mais do que os {limit} bytes permitidos; divida-o em "
        "ficheiros mais pequenos (por exemplo um por mês).",
        "the file has {size} bytes, more than the {limit} bytes allowed; split it into "
        "smaller files (for example one per month).",
    ),
    "val.hidden_file": (
        "o nome começa por um ponto, o que oculta o ficheiro na maioria dos computadores e "
        "marca cópias temporárias, por isso o ficheiro não foi carregado; mude-lhe o nome, "
        "sem o ponto (por exemplo \"{renamed}\"), e entregue-o de novo.",
        "the name starts with a dot, which hides the file on most computers and marks "
        "temporary copies, so the file was not loaded; rename it without the dot (for "
        "example \"{renamed}\") and hand it in again.",
    ),
    "val.unsupported_file_type": (
        "ficheiros do tipo \"{value}\" não são aceites; envie CSV (.csv) ou Excel (.xlsx) "
        "feito a partir do modelo.",
        "files of type \"{value}\" are not accepted; send CSV (.csv) or Excel (.xlsx) made "
        "from the template.",
    ),
    "val.not_a_workbook": (
        "este ficheiro não é um livro Excel (.xlsx) válido: {detail_pt}. Grave-o de novo "
        "como .xlsx no Excel ou LibreOffice, ou envie um CSV.",
        "this is not a valid Excel workbook (.xlsx): {detail}. Save it again as .xlsx from "
        "Excel or LibreOffice, or send a CSV.",
    ),
    "val.not_a_csv": (
        "este ficheiro não é um ficheiro CSV de texto ({kind_pt}). {advice_pt}",
        "this is not a CSV text file ({kind_en}). {advice_en}",
    ),
    "val.workbook_too_large": (
        "o livro expande-se para mais de {limit} bytes quando aberto; não é aceite (envie "
        "um livro por mês, feito a partir do modelo).",
        "the workbook expands to more than {limit} bytes when opened; it is not accepted "
        "(send one workbook per month, made from the template).",
    ),
    "val.undecodable": (
        "o texto não pode ser lido: o byte {offset} não é UTF-8 nem Windows-1252 válido "
        "({detail}). Grave o ficheiro como \"CSV UTF-8\".",
        "the text cannot be read: byte {offset} is not valid UTF-8 or Windows-1252 "
        "({detail}). Save the file as \"CSV UTF-8\".",
    ),
    "val.bad_csv": (
        "a estrutura do CSV não pode ser lida ({detail}); grave-o de novo como \"CSV "
        "UTF-8\" a partir do modelo.",
        "the CSV structure cannot be read ({detail}); save it again as \"CSV UTF-8\" from "
        "the template.",
    ),
    "val.empty_file": (
        "o ficheiro está vazio. Um mês sem casos também é reportado, com linhas de "
        "contagem 0, para que se saiba o parceiro e o período.",
        "the file is empty. A month with no cases is still reported, as rows with count 0, "
        "so that the partner and period are known.",
    ),
    "val.no_rows": (
        "existe o cabeçalho mas não há linhas de dados. Um mês sem casos é reportado com "
        "linhas de contagem 0, para que se saiba o parceiro e o período.",
        "the header is there but there are no data rows. A month with no cases is reported "
        "as rows with count 0, so that the partner and period are known.",
    ),
    "val.unknown_return_type": (
        "as colunas não correspondem a nenhum tipo de reporte do contrato ({expected}).",
        "the columns do not match any return type of the contract ({expected}).",
    ),
    "val.unknown_sheet": (
        "a folha \"{value}\" não é um tipo de reporte ({expected}) nem uma folha de "
        "instruções; remova-a.",
        "sheet \"{value}\" is not a return type ({expected}) nor an instructions sheet; "
        "remove it.",
    ),
    "val.duplicate_return_type": (
        "o tipo de reporte \"{value}\" aparece em mais do que uma folha; use uma folha por "
        "tipo de reporte.",
        "return type \"{value}\" appears in more than one sheet; use one sheet per return "
        "type.",
    ),
    "val.unknown_column": (
        "a coluna \"{value}\" não faz parte do contrato e não é aceite: qualquer coluna "
        "extra pode conter dados pessoais. Remova-a. Colunas esperadas: {expected}.",
        "column \"{value}\" is not part of the contract and is not accepted: any extra "
        "column could carry personal data. Remove it. Expected columns: {expected}.",
    ),
    "val.misnamed_column": (
        "a coluna «{value}» parece ser «{expected}» ({label_pt}): mude o nome do cabeçalho "
        "para {expected}.",
        "column \"{value}\" looks like \"{expected}\" ({label_en}): rename the header to "
        "{expected}.",
    ),
    "val.missing_column": (
        "falta a coluna \"{value}\" ({label_pt}); o reporte {return_type} precisa das "
        "colunas {expected}.",
        "column \"{value}\" ({label_en}) is missing; the {return_type} return needs the "
        "columns {expected}.",
    ),
    "val.duplicate_column": (
        "a coluna \"{value}\" aparece mais do que uma vez (como {headers}).",
        "column \"{value}\" appears more than once (as {headers}).",
    ),
    "val.extra_cells": (
        "a linha tem mais células do que colunas no cabeçalho (valor extra \"{value}\"); "
        "não são aceites valores sem coluna.",
        "the row has more cells than the header has columns (extra value \"{value}\"); "
        "values without a column are not accepted.",
    ),
    "val.empty_cell": (
        "a célula está vazia; todas as colunas têm de ser preenchidas (use UNKNOWN para um "
        "código desconhecido, 0 quando não há casos).",
        "the cell is empty; every column must be filled (use UNKNOWN for an unknown code, "
        "0 for no cases).",
    ),
    "val.unknown_code": (
        "\"{value}\" não é um código válido para {label_pt}{hint_pt}; permitidos: "
        "{allowed_pt}.",
        "\"{value}\" is not a valid code for {label_en}{hint_en}; allowed: {allowed_en}.",
    ),
    "val.code.use": (": use {code} para {name}", ": use {code} for {name}"),
    "val.bad_count": (
        "a contagem \"{value}\" não é aceite: {reason_pt}. Uma contagem é um número "
        "inteiro de 0 a {max_count}, escrito sem casas decimais.",
        "count \"{value}\" is not accepted: {reason_en}. A count is a whole number from 0 "
        "to {max_count}, written without decimals.",
    ),
    "val.bad_period": (
        "{written} deve ser AAAA-MM, por exemplo {example}: \"{value}\" {reason_pt}.",
        "{written} must be YYYY-MM, e.g. {example}: \"{value}\" {reason_en}.",
    ),
    "val.period_before_start": (
        "o período \"{value}\" é anterior a {first_period}, o primeiro período recolhido "
        "pelo observatório.",
        "period \"{value}\" is before {first_period}, the first period the observatory "
        "collects.",
    ),
    "val.period_in_future": (
        "o período \"{value}\" está no futuro (o mês atual é {current}).",
        "period \"{value}\" is in the future (the current month is {current}).",
    ),
    "val.period_not_ended": (
        "o mês \"{value}\" ainda não terminou: o reporte conta o mês inteiro, por isso "
        "envie-o a partir de {first_pt}.",
        "month \"{value}\" has not ended yet: a return counts the whole month, so send it "
        "from {first_en} on.",
    ),
    "val.partner_not_registered": (
        "o parceiro \"{value}\" não está registado; parceiros registados: {allowed}.",
        "partner \"{value}\" is not registered; registered partners: {allowed}.",
    ),
    "val.return_type_not_allowed": (
        "o parceiro \"{value}\" não está registado para enviar reportes {return_type} "
        "(permitidos: {allowed}).",
        "partner \"{value}\" is not registered to send {return_type} returns (allowed: "
        "{allowed}).",
    ),
    "val.mixed_partners": (
        "o ficheiro mistura parceiros ({value}); cada ficheiro contém os reportes de um só "
        "parceiro.",
        "the file mixes partners ({value}); each file holds the returns of one partner.",
    ),
    "val.duplicate_key": (
        "esta linha repete a célula da linha {first_row}, com os mesmos códigos: {value}. "
        "Cada combinação de códigos aparece uma vez por período, com a sua contagem total: "
        "junte as duas linhas numa só, somando as contagens.",
        "this row repeats the cell of row {first_row}, with the same codes: {value}. Each "
        "combination of codes appears once per period, with its total count: merge the two "
        "rows into one, adding up their counts.",
    ),
    "val.formula": (
        "a célula contém uma fórmula ({value}); escreva o próprio valor, não uma fórmula.",
        "the cell holds a formula ({value}); write the value itself, not a formula.",
    ),
    "val.personal_data": (
        "a célula parece conter dados pessoais ({kind_pt}: {value}, ocultado). Os reportes "
        "são contagens agregadas e nunca podem conter dados pessoais; o ficheiro não é "
        "aceite.",
        "the cell looks like personal data ({kind_en}: {value}, masked). Returns are "
        "aggregated counts and must never hold personal data; the file is not accepted.",
    ),
    "val.partner_mismatch": (
        "o ficheiro contém reportes do parceiro \"{value}\", mas esta conta envia pela "
        "entidade {partner}; envie apenas os reportes da sua organização.",
        "the file holds the returns of partner \"{value}\", but this account submits for "
        "{partner}; send only your own organisation's returns.",
    ),
    "val.period_mismatch": (
        "os reportes do ficheiro são de {value}, e não de {expected} como escolhido; "
        "escolha o período do ficheiro (ou deixe-o ser lido do ficheiro).",
        "the file's returns are for {value}, not for {expected} as chosen; choose the "
        "period of the file (or let it be read from the file).",
    ),
    "val.return_type_mismatch": (
        "os reportes do ficheiro são do tipo {value}, e não {expected} como escolhido; "
        "escolha o tipo do ficheiro (ou deixe-o ser lido do ficheiro).",
        "the file's returns are of type {value}, not {expected} as chosen; choose the "
        "return type of the file (or let it be read from the file).",
    ),
    "val.more_problems": (
        "mais {n} problemas da regra {value} não são listados.",
        "{n} more problems of rule {value} are not listed.",
    ),
    "val.where.sheet": ("folha \"{sheet}\"", "sheet \"{sheet}\""),
    "val.where.row": ("linha {row}", "row {row}"),
    "val.where.column": ("coluna \"{column}\"", "column \"{column}\""),
    # what a file named .csv that is not text looks like (rule not_a_csv, {kind_pt})
    "val.binary.pdf": ("parece um PDF", "it looks like a PDF"),
    "val.binary.xlsx": ("parece um livro Excel (.xlsx) com o nome mudado para .csv",
                        "it looks like an Excel workbook (.xlsx) renamed to .csv"),
    "val.binary.ods": ("parece uma folha de cálculo do LibreOffice (.ods)",
                       "it looks like a LibreOffice spreadsheet (.ods)"),
    "val.binary.docx": ("parece um documento do Word (.docx)",
                        "it looks like a Word document (.docx)"),
    "val.binary.zip": ("é um arquivo zip", "it is a zip archive"),
    "val.binary.xls": ("parece um ficheiro do Excel antigo (.xls) ou um documento do Word "
                       "(.doc)",
                       "it looks like an old Excel file (.xls) or a Word document (.doc)"),
    "val.binary.rtf": ("parece um documento de texto formatado (RTF)",
                       "it looks like a formatted text document (RTF)"),
    "val.binary.image": ("parece uma imagem", "it looks like an image"),
    "val.binary.archive": ("é um arquivo comprimido", "it is a compressed archive"),
    "val.binary.binary": ("tem conteúdo binário: um byte NUL na posição {offset}",
                          "it holds binary content: a NUL byte at position {offset}"),
    "val.binary.advice.rename": (
        "Mude o nome do ficheiro para terminar em .xlsx e envie-o de novo.",
        "Rename the file to end in .xlsx and send it again."),
    "val.binary.advice.export": (
        "Abra o reporte na folha de cálculo, grave-o como \"CSV UTF-8\" ou como livro Excel "
        "(.xlsx) e envie esse ficheiro.",
        "Open the return in the spreadsheet, save it as \"CSV UTF-8\" or as an Excel "
        "workbook (.xlsx) and send that file."),
    # why a period is refused (rule bad_period, {reason_pt} / {reason_en})
    "val.period.date": ("é uma data; escreva só o ano e o mês, separados por um hífen (numa "
                        "folha de cálculo, formate a coluna como texto, para que não seja "
                        "convertida em data)",
                        "is a date; write only the year and the month, joined by a hyphen "
                        "(in a spreadsheet, format the column as text so that it is not "
                        "turned into a date)"),
    "val.period.month": ("tem o ano e o mês noutra forma; escreva o ano com quatro "
                         "algarismos, um hífen e o mês com dois",
                         "has the year and month in another form; write the year in four "
                         "digits, a hyphen and the month in two"),
    "val.period.other": ("não está nessa forma", "is not in that form"),
    # why a count is refused (rule bad_count, {reason_pt} / {reason_en})
    "val.count.negative": ("é negativa", "it is negative"),
    "val.count.thousands": ("não use separador de milhares: escreva {digits} (um ponto ou "
                            "espaço antes de três algarismos é lido como separador de "
                            "milhares)",
                            "do not use a thousands separator: write {digits} (a dot or "
                            "space before three digits is read as a thousands separator)"),
    "val.count.decimals": ("tem casas decimais (escreva números inteiros, por exemplo 3 e não 3,0)",
                           "it has decimals (write whole numbers, e.g. 3 not 3.0)"),
    "val.count.scientific": ("está em notação científica", "it is in scientific notation"),
    "val.count.too_large": ("é maior do que {max_count}, o que não pode ser uma contagem mensal",
                            "it is larger than {max_count}, which cannot be a monthly count"),
    "val.count.not_whole": ("não é um número inteiro", "it is not a whole number"),
})

# Validation rule codes shown on the data-quality page (codes: indicators/validation).
RULE_LABELS: dict[str, tuple[str, str]] = {
    "file_too_large": ("ficheiro demasiado grande", "file too large"),
    "unsupported_file_type": ("tipo de ficheiro não aceite", "file type not accepted"),
    "not_a_workbook": ("não é um livro Excel", "not an Excel workbook"),
    "not_a_csv": ("não é um ficheiro CSV de texto", "not a CSV text file"),
    "workbook_too_large": ("livro Excel demasiado grande", "workbook too large"),
    "undecodable": ("texto ilegível", "unreadable text"),
    "encoding": ("texto ilegível", "unreadable text"),
    "bad_csv": ("CSV mal formado", "malformed CSV"),
    "hidden_file": ("nome começado por ponto (ficheiro oculto)",
                    "name starting with a dot (hidden file)"),
    "empty_file": ("ficheiro vazio", "empty file"),
    "no_rows": ("sem linhas de dados", "no data rows"),
    "unknown_return_type": ("tipo de reporte desconhecido", "unknown return type"),
    "unknown_sheet": ("folha desconhecida", "unknown sheet"),
    "duplicate_return_type": ("tipo de reporte repetido", "return type repeated"),
    "unknown_column": ("coluna desconhecida", "unknown column"),
    "misnamed_column": ("coluna com outro nome", "column misnamed"),
    "missing_column": ("coluna em falta", "missing column"),
    "duplicate_column": ("coluna repetida", "column repeated"),
    "extra_cells": ("células a mais", "extra cells"),
    "empty_cell": ("célula vazia", "empty cell"),
    "unknown_code": ("código desconhecido", "unknown code"),
    "bad_count": ("contagem inválida", "invalid count"),
    "count_integer": ("contagem não inteira", "count not a whole number"),
    "bad_period": ("período inválido", "invalid period"),
    "period_before_start": ("período anterior ao início", "period before the start"),
    "period_in_future": ("período no futuro", "period in the future"),
    "period_not_ended": ("mês ainda não terminado", "month not ended yet"),
    "partner_not_registered": ("parceiro não registado", "partner not registered"),
    "return_type_not_allowed": ("tipo de reporte não autorizado", "return type not allowed"),
    "mixed_partners": ("vários parceiros no ficheiro", "several partners in one file"),
    "duplicate_key": ("linha repetida", "row repeated"),
    "formula": ("fórmula numa célula", "formula in a cell"),
    "personal_data": ("dados pessoais", "personal data"),
    "partner_mismatch": ("ficheiro de outro parceiro", "another partner's file"),
    "period_mismatch": ("período diferente do escolhido", "period not the one chosen"),
    "return_type_mismatch": ("tipo de reporte diferente do escolhido",
                             "return type not the one chosen"),
    "more_problems": ("mais problemas", "more problems"),
}


def rule_label(code: str, lang: str) -> str:
    """A validation rule's short label in ``lang`` (an unknown code shows as is)."""
    pair = RULE_LABELS.get(code)
    return code if pair is None else pair[1 if norm_lang(lang) == "en" else 0]


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **fields: object) -> str:
    """The text of ``key`` in ``lang``; ``fields`` fill ``{placeholders}``. A number written
    in the text ("por 100 000 habitantes") keeps its digit groups on one line."""
    pt, en = TEXT[key]
    text = keep_numbers_whole(en if norm_lang(lang) == "en" else pt)
    return text.format(**fields) if fields else text


def tn(key: str, n: int, lang: str, **fields: object) -> str:
    """The text of ``key.one`` (``n == 1``) or ``key.other`` in ``lang``, with ``{n}`` filled."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **fields)


def tn_both(key: str, n: int, **fields: object) -> str:
    """``tn`` in Portuguese and English, as "PT / EN" (operator messages: refusals, audits)."""
    return f"{tn(key, n, 'pt', **fields)} / {tn(key, n, 'en', **fields)}"


@cache
def _published_code_labels(breakdown: str | None) -> dict[str, tuple[str, str]]:
    """Labels of the codes that releases carry: the contract's codes of ``breakdown`` (with
    district and country names from the reference data) and the registry's parent codes
    (``Y_LT18``, ``SEXUAL``, ...), which win."""
    from indicators.contract import load_contract
    from indicators.contract.labels import code_labels
    from indicators.registry import load_registry

    labels: dict[str, tuple[str, str]] = {}
    if breakdown in load_contract().columns:
        labels.update(code_labels(breakdown))
    for code, pair in load_registry().code_labels.items():
        labels[code] = (pair["pt"], pair["en"])
    return labels


def code_label(code: str, lang: str, breakdown: str | None = None) -> str:
    """The label of a breakdown code, from the contract and the registry (the one source of
    code labels); an unknown code shows as is."""
    pair = _published_code_labels(breakdown).get(code)
    if pair is None:
        return code
    return pair[1] if norm_lang(lang) == "en" else pair[0]


def breakdown_label(name: str, lang: str) -> str:
    key = f"bd.{name}"
    if key in TEXT:
        return t(key, lang)
    from indicators.registry import load_registry

    pair = load_registry().breakdown_labels.get(name)
    return name if pair is None else pair["en" if norm_lang(lang) == "en" else "pt"]


# A space inside a number written in a text ("por 100 000 habitantes"): the groups of digits
# are joined by a no-break space, as fmt_number joins them, so the number never wraps (charts'
# titles, the PDF reports, table cells).
DIGIT_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def keep_numbers_whole(text: str) -> str:
    """``text`` with the plain spaces between a number's digit groups made no-break."""
    return DIGIT_GROUP_SPACE.sub("\u00a0", text)


def round_half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded as people and spreadsheets do: a tie goes away from zero
    (401.25 → 401.3, 0.5 → 1), on the number as written (its shortest decimal form), never
    Python's round-half-to-even (401.25 → 401.2). Every rounding a reader sees uses it."""
    if not math.isfinite(value):
        return value
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """``1 234,5`` in Portuguese (thin no-break space as thousands separator is avoided for
    copy-paste: a plain no-break space), ``1,234.5`` in English. ``None``/NaN → ``""``.
    Ties round away from zero (``round_half_up``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{round_half_up(float(value), decimals):,.{decimals}f}"
    if norm_lang(lang) == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


DECIMAL_UNITS = ("rate_100k", "percent")  # shown with one decimal; every other unit whole


def unit_decimals(unit: str) -> int:
    """The decimals a value of ``unit`` is shown with, on cards and in tables alike."""
    return 1 if unit in DECIMAL_UNITS else 0


def fmt_value(value: float | None, unit: str, lang: str) -> str:
    """A value with the precision its unit needs (counts whole, rates and shares 1 decimal)."""
    text = fmt_number(value, lang, unit_decimals(unit))
    if unit == "percent":
        return f"{text}\u00a0%" if text else ""
    return text


def fmt_pct(value: float | None, lang: str, decimals: int = 0) -> str:
    text = fmt_number(value, lang, decimals)
    return f"{text}\u00a0%" if text else ""


MONTHS_PT = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(day: date | None, lang: str) -> str:
    """``28/11/2026`` in Portuguese, ``28 Nov 2026`` in English."""
    if day is None:
        return ""
    if norm_lang(lang) == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day:%d/%m/%Y}"


def fmt_period(label: str, grain: str, lang: str) -> str:
    """Human period label from the published ``period_label`` (2024-03, 2024-Q1, 2024,
    2023-04..2024-03)."""
    en = norm_lang(lang) == "en"
    months = MONTHS_EN if en else MONTHS_PT

    def month(text: str) -> str:
        year, mon = text.split("-")[:2]
        return f"{months[int(mon) - 1]} {year}"

    try:
        if grain == "month":
            return month(label)
        if grain == "quarter":
            year, quarter = label.split("-")
            return f"{quarter}\u00a0{year}" if en else f"{quarter[1]}.º trim. {year}"
        if grain == "r12" and ".." in label:
            start, end = label.split("..")
            return f"{month(start)}–{month(end)}"
        if grain == "ytd" and ".." in label:
            start, end = label.split("..")
            return f"{month(start)}–{month(end)}"
    except (ValueError, IndexError):
        return label
    return label


def flag_words(flags: str | None, lang: str) -> str:
    """Flags in words, e.g. ``'cp'`` → ``'confidential, provisional'``; ``''`` → ``''``."""
    letters = dict.fromkeys(flags or "")  # each flag once ("cpc" → confidential, provisional)
    words = [t(f"flag.{letter}", lang) for letter in letters if f"flag.{letter}" in TEXT]
    return ", ".join(words)


def status_words(flags: str, value: Any, lang: str) -> str:
    """The value's state in words: 'confidential', 'provisional', … or 'final'."""
    words = flag_words(flags, lang)
    if words:
        return words
    return t("flag.none", lang) if value is not None else ""
