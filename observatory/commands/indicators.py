"""`observatory indicators`: compute every indicator from the warehouse into marts.

``--list`` prints the registry instead (no warehouse needed).
"""

from __future__ import annotations

import argparse

from indicators.registry import load_registry


def _print_registry() -> int:
    registry = load_registry()
    print(f"{'code':<28} {'kind':<8} {'unit':<10} {'level':<8} name (PT / EN)")
    for ind in registry:
        level = ind.level or ("SDG " + ind.sdg if ind.sdg else "")
        print(f"{ind.code:<28} {ind.kind:<8} {ind.unit:<10} {level:<8} "
              f"{ind.name_pt} / {ind.name_en}")
        breakdowns = ", ".join(ind.breakdowns)
        district = ", ".join(ind.district_breakdowns) or "-"
        print(f"{'':<28} grains: {', '.join(ind.grains)} | breakdowns: {breakdowns} | "
              f"districts: {district} ({', '.join(ind.district_grains) or '-'})")
    print(f"\n{len(registry)} indicadores / indicators")
    return 0


def _compute(args: argparse.Namespace) -> int:
    from indicators.compute import compute_all
    from indicators.settings import load_settings
    from indicators.warehouse import connect, read_sql

    settings = load_settings()
    path = settings.warehouse_path
    if not path.exists():
        print(f"Armazém de dados inexistente / no warehouse at {path}: "
              "corra `observatory ingest` primeiro / run `observatory ingest` first.")
        return 1
    with connect(path) as con:
        summary = compute_all(con)
        by_indicator = con.sql(read_sql("marts/summary_by_indicator.sql")).fetchall()
        dq = con.sql(read_sql("marts/summary_data_quality.sql")).fetchall()[0]
    if summary.first_period is None:
        print("Sem devoluções carregadas / no returns loaded: nothing to compute.")
        return 0
    print(f"Indicadores calculados / indicators computed: {summary.indicators} "
          f"({summary.first_period} .. {summary.last_period})")
    print(f"Valores / values: {summary.rows} (contagens / counts {summary.count_rows}, "
          f"derivados / derived {summary.derived_rows}) em / in {summary.seconds:.2f} s")
    if args.verbose:
        for code, n, available in by_indicator:
            print(f"  {code:<28} {n:>8} {available:>8}")
    print(f"Devoluções esperadas / expected returns: {dq[0]}; recebidas / received: {dq[1]}; "
          f"em atraso / late: {dq[2]}; ficheiros rejeitados / rejected files: {dq[3]}")
    print("Tabelas / tables: marts.indicator_values, marts.data_quality, marts.*_cube "
          "(internas, não publicáveis / internal, not for publication)")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _print_registry()
    return _compute(args)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "indicators",
        help="calcular os indicadores / compute every indicator into the warehouse marts",
        description="Calcula todos os indicadores do registo a partir do armazém de dados "
        "(marts.indicator_values, marts.data_quality). / Computes every registry indicator "
        "from the warehouse.")
    parser.add_argument("--list", action="store_true",
                        help="listar o registo de indicadores / print the indicator registry")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="contagem de valores por indicador / values per indicator")
    parser.set_defaults(func=run)
