"""Partner returns handed in through the dashboard: validated at once WITHOUT the warehouse.

The web process never opens the warehouse (DuckDB allows one writer, and a refresh may be
running). :func:`receive` validates an upload with the same validator the ingest uses, then

* accepted: writes the file atomically into the inbox (a hidden temporary name, fsync'ed,
  then ``os.replace``), where the inbox sensor or the next ingest loads it exactly like a
  file dropped there (archived original, versioned submission superseding the current one);
* rejected: quarantines the original beside a JSON and a text report, as the ingest does;

and appends one line to the audit trail ``$OBS_DATA_DIR/submissions/audit.jsonl`` (who,
partner, file name, time, result, re-submission reason). The trail stays outside the
published release: file names and digests are internal. The pipeline copies it into the
warehouse (:func:`copy_audit_into`), and analysts see it on the data-quality page.

Where a submission stands and the partner's returns calendar:
:mod:`indicators.submission_status`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indicators.contract import load_contract
from indicators.validation import Problem, format_report_text, validate_file
from indicators.validation.problems import make_problem

if TYPE_CHECKING:
    import duckdb

    from indicators.settings import Settings

UPLOAD_MAX_BYTES = 700 * 1024  # the dashboard's requests stop at 1 MB (base64 adds a third)
AUDIT_FILE = "audit.jsonl"
ACCEPTED, REJECTED, DUPLICATE, NEEDS_REASON = "accepted", "rejected", "duplicate", \
    "reason_required"


@dataclass(frozen=True)
class Submission:
    """One upload: one line of the audit trail."""

    id: str
    received_at: str  # ISO 8601, UTC, seconds
    user: str
    partner: str
    file_name: str  # as uploaded, made safe (internal: never published)
    result: str  # accepted | rejected | duplicate | reason_required
    return_types: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()  # YYYY-MM
    n_rows: int = 0
    versions: Mapping[str, int] = field(default_factory=dict)  # "victims/2024-03" -> version
    reason: str = ""  # why a re-submission replaces the earlier one
    sha256: str = ""
    stored: str = ""  # inbox (accepted) or quarantine (rejected) path, relative to data dir
    report: str = ""  # the text report of a rejected file, relative to the data dir
    problems: int = 0

    def to_json(self) -> str:
        record = asdict(self)
        record["return_types"], record["periods"] = list(self.return_types), list(self.periods)
        record["versions"] = dict(self.versions)
        return json.dumps(record, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Submission:
        known = {k: v for k, v in record.items() if k in cls.__dataclass_fields__}
        known["return_types"] = tuple(known.get("return_types") or ())
        known["periods"] = tuple(known.get("periods") or ())
        return cls(**known)

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(return type, YYYY-MM) of every return the submission carries."""
        return [(rt, p) for rt in self.return_types for p in self.periods]

    @property
    def received(self) -> datetime:
        return datetime.fromisoformat(self.received_at)


@dataclass
class Outcome:
    """What :func:`receive` decided, with every problem (rejected) in PT and EN."""

    submission: Submission
    problems: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.submission.result == ACCEPTED


class AuditTrail:
    """The append-only audit trail (JSON lines, one per upload, mode 600)."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / "submissions"
        self.path = self.folder / AUDIT_FILE

    def append(self, submission: Submission) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = (submission.to_json() + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # one whole line per upload, even across processes
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock

    def all(self) -> list[Submission]:
        """Every submission, oldest first (a damaged line is skipped, never fatal)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            with contextlib.suppress(ValueError, TypeError):
                out.append(Submission.from_dict(json.loads(line)))
        return out

    def of_partner(self, partner: str) -> list[Submission]:
        return [s for s in self.all() if s.partner == partner]

    def get(self, submission_id: str) -> Submission | None:
        return next((s for s in self.all() if s.id == submission_id), None)


# --------------------------------------------------------------------------- receiving

def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` under a hidden temporary name (which the inbox sensor and the ingest
    ignore), fsync it, then rename it into place: readers see the whole file or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _precheck(data: bytes, name: str) -> list[Problem]:
    suffix = Path(name).suffix.lower()
    if suffix not in load_contract().file_types:
        return [make_problem("unsupported_file_type", name, value=suffix or "(none)")]
    if len(data) > UPLOAD_MAX_BYTES:
        return [make_problem("file_too_large", name, size=len(data), limit=UPLOAD_MAX_BYTES)]
    return []


def _validate(data: bytes, name: str, settings: Settings, today: date | None):
    """The ingest's validator on a private staged copy (removed afterwards)."""
    staging = settings.data_dir / "submissions" / "staging" / uuid.uuid4().hex
    staging.mkdir(parents=True, mode=0o700)
    try:
        path = staging / name
        path.write_bytes(data)
        return validate_file(path, today=today)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _choice_problems(validated: Any, name: str, partner: str, return_type: str | None,
                     period: str | None) -> list[Problem]:
    """The file must be the account's own partner's, and match what the partner chose."""
    problems = []
    if validated.partner and validated.partner != partner:
        problems.append(make_problem("partner_mismatch", name, value=validated.partner,
                                     partner=partner))
    periods = [p.strftime("%Y-%m") for p in validated.periods]
    if period and periods and periods != [period]:
        problems.append(make_problem("period_mismatch", name, value=", ".join(periods),
                                     expected=period))
    if return_type and validated.return_types and validated.return_types != [return_type]:
        problems.append(make_problem("return_type_mismatch", name,
                                     value=", ".join(validated.return_types),
                                     expected=return_type))
    return problems


def latest_versions(keys: Iterable[tuple[str, str]], earlier: list[Submission],
                    published: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """The latest known version of each (return type, month); months with none are left out."""
    latest = {key: version - 1 for key, version in next_versions(keys, earlier,
                                                                  published).items()}
    return {key: version for key, version in latest.items() if version > 0}


def _already_loaded(sha256: str, settings: Settings) -> bool:
    """The ingest archives every file it loaded as ``archive/<sha[:2]>/<sha>_<name>``."""
    return any((settings.archive_dir / sha256[:2]).glob(f"{sha256}_*"))


def next_versions(keys: Iterable[tuple[str, str]], earlier: list[Submission],
                  published: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """The version each (return type, month) will get: one more than the latest known, from
    the partner's earlier accepted uploads and the published release's provenance."""
    out = {}
    for return_type, period in keys:
        known = [published.get((return_type, period), 0)]
        known += [s.versions.get(f"{return_type}/{period}", 0) for s in earlier
                  if s.result == ACCEPTED]
        out[f"{return_type}/{period}"] = max(known) + 1
    return out


def _quarantine(data: bytes, name: str, sha256: str, problems: list[Problem],
                settings: Settings, meta: dict) -> tuple[str, str]:
    """The rejected original and its JSON and text reports under ``quarantine/``."""
    stamp = _now().strftime("%Y%m%dT%H%M%S")
    target = settings.quarantine_dir / f"{stamp}_{sha256[:12]}_{meta['id'][:8]}_{name}"
    _write_atomically(target, data)
    report = {**meta, "file": name, "status": "rejected", "source": "dashboard",
              "problems": [p.to_dict() for p in problems]}
    _write_atomically(target.with_name(target.name + ".report.json"),
                      (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode())
    text_path = target.with_name(target.name + ".report.txt")
    _write_atomically(text_path, format_report_text(name, sha256, "rejected",
                                                    problems).encode("utf-8"))
    return _relative(target, settings), _relative(text_path, settings)


def _relative(path: Path, settings: Settings) -> str:
    """``path`` relative to the data folder (absolute when it lies elsewhere, e.g. an inbox
    set by ``OBS_INBOX_DIR``)."""
    try:
        return str(path.resolve().relative_to(settings.data_dir.resolve()))
    except ValueError:
        return str(path.resolve())


def inbox_name(partner: str, return_types: Iterable[str], periods: Iterable[str],
               received: datetime, submission_id: str, suffix: str) -> str:
    """``APF_victims_2024-03_web20240410T101500_ab12cd34.csv``: the claims the ingest reads
    from a name (partner, return types, months) and a unique tail."""
    parts = [partner, *return_types, *list(periods)[:3],
             f"web{received:%Y%m%dT%H%M%S}", submission_id[:8]]
    return "_".join(parts) + suffix


def receive(data: bytes, file_name: str, *, user: str, partner: str, settings: Settings,
            return_type: str | None = None, period: str | None = None, reason: str = "",
            published: Mapping[tuple[str, str], int] | None = None,
            today: date | None = None) -> Outcome:
    """Validate one upload of ``partner`` and hand it on (inbox or quarantine); see the
    module docstring. ``published``: (return type, YYYY-MM) → version in the current release.
    """
    from indicators.ingest import claimed_by_name, safe_name

    trail = AuditTrail(settings.data_dir)
    name, received = safe_name(file_name), _now()
    base = {"id": uuid.uuid4().hex, "received_at": received.isoformat(), "user": user,
            "partner": partner, "file_name": name, "reason": reason.strip()[:500],
            "sha256": hashlib.sha256(data).hexdigest()}
    problems = _precheck(data, name)
    validated = None
    if not problems:
        validated = _validate(data, name, settings, today)
        problems = validated.problems or _choice_problems(validated, name, partner,
                                                          return_type, period)
    if problems:
        stored, report = _quarantine(data, name, base["sha256"], problems, settings,
                                     {k: base[k] for k in ("id", "received_at", "user",
                                                           "partner")})
        claimed_types, claimed_months = claimed_by_name(name)  # what the name says
        read_types = (validated.return_types or validated.sheet_types) if validated else []
        submission = Submission(
            **base, result=REJECTED,  # the chosen type, else the name's, else the sheets'
            return_types=(return_type,) if return_type else tuple(claimed_types or read_types),
            periods=(period,) if period else tuple(m.strftime("%Y-%m") for m in claimed_months),
            stored=stored, report=report, problems=len(problems))
        trail.append(submission)
        return Outcome(submission, problems)
    return _accept(data, validated, base, trail, settings, published or {})


def _accept(data: bytes, validated: Any, base: dict, trail: AuditTrail, settings: Settings,
            published: Mapping[tuple[str, str], int]) -> Outcome:
    earlier = trail.of_partner(base["partner"])
    content = {"return_types": tuple(validated.return_types),
               "periods": tuple(p.strftime("%Y-%m") for p in validated.periods),
               "n_rows": validated.n_rows}
    keys = [(rt, p) for rt in content["return_types"] for p in content["periods"]]
    same = next((s for s in earlier if s.result == ACCEPTED and s.sha256 == base["sha256"]),
                None)
    if same is not None or _already_loaded(base["sha256"], settings):
        # identical content (handed in here, or loaded by the ingest from any source):
        # nothing goes to the inbox, no new version; the receipt names the earlier version
        versions = same.versions if same is not None else latest_versions(keys, earlier,
                                                                          published)
        submission = Submission(**base, **content, result=DUPLICATE, versions=versions)
        trail.append(submission)
        return Outcome(submission)
    replaces = any((rt, p) in published for rt, p in keys) or any(
        set(keys) & set(s.keys) for s in earlier if s.result == ACCEPTED)
    if replaces and not base["reason"]:
        submission = Submission(**base, **content, result=NEEDS_REASON)
        trail.append(submission)
        return Outcome(submission)
    versions = next_versions(keys, earlier, published)
    received = datetime.fromisoformat(base["received_at"])
    target = settings.inbox_dir / inbox_name(base["partner"], content["return_types"],
                                             content["periods"], received, base["id"],
                                             Path(base["file_name"]).suffix.lower())
    _write_atomically(target, data)
    submission = Submission(**base, **content, result=ACCEPTED, versions=versions,
                            stored=_relative(target, settings))
    trail.append(submission)
    return Outcome(submission)


# --------------------------------------------------------------------------- warehouse copy

AUDIT_COLUMNS = ("id", "received_at", "user", "partner", "file_name", "result",
                 "return_types", "periods", "n_rows", "reason", "problems")


def copy_audit_into(con: duckdb.DuckDBPyConnection, data_dir: Path) -> int:
    """Replace ``core.submission_audit`` with the audit trail (run by the pipeline, the one
    writer); returns the number of lines. The table is internal: nothing publishes it."""
    import polars as pl

    rows = [{"id": s.id, "received_at": s.received.replace(tzinfo=None), "user": s.user,
             "partner": s.partner, "file_name": s.file_name, "result": s.result,
             "return_types": list(s.return_types), "periods": list(s.periods),
             "n_rows": s.n_rows, "reason": s.reason, "problems": s.problems}
            for s in AuditTrail(data_dir).all()]
    frame = pl.DataFrame(rows, schema={
        "id": pl.String, "received_at": pl.Datetime("us"), "user": pl.String,
        "partner": pl.String, "file_name": pl.String, "result": pl.String,
        "return_types": pl.List(pl.String), "periods": pl.List(pl.String),
        "n_rows": pl.Int64, "reason": pl.String, "problems": pl.Int64})
    from indicators.warehouse import run_sql_file

    con.register("audit_lines", frame.to_arrow())
    try:
        run_sql_file(con, "core/replace_submission_audit.sql")
    finally:
        con.unregister("audit_lines")
    return len(rows)
