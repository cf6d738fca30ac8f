"""Sensors. ``inbox_sensor`` looks only at the file system (never the warehouse): each new or
changed inbox file starts an ``inbox_ingest`` run whose run key is the file's SHA-256, so the
same content never starts two runs. ``failure_alert_sensor`` turns any failed run into a
readable alert file (and an e-mail when SMTP is configured)."""

import json
from pathlib import Path

import dagster as dg

from indicators.ingest import expand_paths
from indicators.validation import sha256_of
from orchestration.alerts import Alert, now_utc, send_email, write_alert
from orchestration.defs.jobs import inbox_ingest
from orchestration.defs.resources import ObservatoryResource


def _fingerprints(inbox: Path, known: dict[str, list]) -> dict[str, list]:
    """{path: [size, mtime_ns, sha256]} for the inbox files, hashing only what changed."""
    seen: dict[str, list] = {}
    if not inbox.is_dir():
        return seen
    for path in expand_paths([inbox]):
        try:
            stat = path.stat()
        except FileNotFoundError:  # moved away by a running ingestion
            continue
        previous = known.get(str(path))
        if previous and previous[0] == stat.st_size and previous[1] == stat.st_mtime_ns:
            seen[str(path)] = previous
            continue
        try:
            seen[str(path)] = [stat.st_size, stat.st_mtime_ns, sha256_of(path)]
        except FileNotFoundError:
            continue
    return seen


@dg.sensor(job=inbox_ingest, minimum_interval_seconds=30,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="New or changed files in the inbox start an ingestion run (run key = "
                       "content hash). / Ficheiros novos ou alterados na caixa de entrada.")
def inbox_sensor(context: dg.SensorEvaluationContext,
                 observatory: ObservatoryResource) -> dg.SensorResult:
    inbox = observatory.settings().inbox_dir
    known: dict[str, list] = json.loads(context.cursor) if context.cursor else {}
    current = _fingerprints(inbox, known)
    requests = []
    for path, (_size, _mtime, digest) in sorted(current.items()):
        if path in known and known[path][2] == digest:
            continue
        requests.append(dg.RunRequest(
            run_key=digest, tags={"observatory/file": Path(path).name[:200]},
            run_config={"ops": {"loaded_returns": {"config": {"files": [path]}}}}))
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(current, sort_keys=True))


@dg.run_failure_sensor(name="failure_alert_sensor", monitor_all_code_locations=False,
                       default_status=dg.DefaultSensorStatus.RUNNING,
                       description="Writes a readable alert for every failed run. / Alerta "
                                   "legível para cada execução falhada.")
def failure_alert_sensor(context: dg.RunFailureSensorContext,
                         observatory: ObservatoryResource) -> None:
    settings = observatory.settings()
    alert = Alert(job=context.dagster_run.job_name, run_id=context.dagster_run.run_id,
                  message=context.failure_event.message or "", when=now_utc())
    path = write_alert(alert, settings.data_dir / "alerts")
    context.log.error(f"{alert.subject} — alerta / alert: {path}")
    try:
        if send_email(alert, settings.smtp):
            context.log.info("alerta enviado por e-mail / alert e-mailed")
    except OSError as exc:  # the file alert stands even when mail fails
        context.log.error(f"e-mail falhou / e-mail failed: {exc}")
