"""The floors of the in-process refresh (bench/refresh_floor.py) measure what they say: the
same job graph with no-op steps, and exactly the databases a run opened."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench.refresh_floor import Opened, connections_floor, noop_defs, recording_connections
from orchestration.defs.resources import resources_for
from orchestration.runner import JOB, load_defs, run_refresh


def _graph(defs) -> tuple[set, set]:
    """The job's steps, and every asset with its parents, partitions, pools and checks."""
    job = defs.resolve_job_def(JOB)
    graph = defs.resolve_asset_graph()
    assets = {(str(key), tuple(sorted(str(p) for p in graph.get(key).parent_keys)),
               str(graph.get(key).partitions_def), str(graph.get(key).backfill_policy),
               tuple(sorted(str(c) for c in graph.get(key).check_keys)))
              for key in graph.get_all_asset_keys()}
    steps = {(name, node.definition.pool) for name, node in job.graph.node_dict.items()}
    return steps, assets


def test_noop_job_has_the_real_job_graph_and_runs_without_touching_the_data(
        tmp_path: Path) -> None:
    defs = load_defs()
    empty = noop_defs(defs)
    assert _graph(empty) == _graph(defs)
    data = tmp_path / "data"
    with recording_connections() as opened:
        report = run_refresh("2024-01-01", "2024-01-01", resources=resources_for(str(data)),
                             defs=empty)
    assert report.success
    assert opened == []  # no step body ran: no database opened, no release written
    assert not (data / "serving").exists() or not any((data / "serving").iterdir())


def test_recorded_connections_are_the_ones_made_and_can_be_replayed(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with recording_connections() as opened:
        duckdb.connect(str(path)).close()
        duckdb.connect(str(path), read_only=True).close()
        duckdb.connect().close()
    assert opened == [Opened(str(path), False), Opened(str(path), True), Opened(None, False)]
    assert duckdb.connect is not None and duckdb.connect.__name__ == "connect"
    wall, cpu = connections_floor(opened + [Opened(str(tmp_path / "gone.duckdb"), True)])
    assert wall > 0 and cpu >= 0
    assert not (tmp_path / "gone.duckdb").exists()  # a missing file is not created


def test_the_marts_input_is_the_warehouse_as_the_step_met_it(tmp_path: Path, monkeypatch) -> None:
    from bench.refresh_floor import keeping_marts_input
    from indicators import pipeline

    def step(con, *args, **kwargs) -> dict:  # stands in for the real step: writes its output
        con.execute("INSERT INTO t VALUES ('marts output')")
        return {"rows": 1}

    monkeypatch.setattr(pipeline, "compute_marts", step)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE TABLE t (v VARCHAR); INSERT INTO t VALUES ('step input')")
    folder = tmp_path / "kept"
    folder.mkdir()
    with keeping_marts_input(folder) as kept:
        assert pipeline.compute_marts(con) == {"rows": 1}
    assert pipeline.compute_marts is step  # the real function is back
    assert sorted(con.sql("FROM t").fetchall()) == [("marts output",), ("step input",)]
    con.close()
    copy = duckdb.connect(str(kept.copy), read_only=True)
    assert copy.sql("FROM t").fetchall() == [("step input",)]
    copy.close()
    assert kept.step[1] >= 0 and kept.copying[0] > 0
