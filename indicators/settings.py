"""The observatory's configuration: the ONE module that reads ``OBS_*`` environment variables.

Each section is a pydantic-settings class (``OBS_`` + field name, or the section's own prefix);
:func:`load_settings` validates them all at once and raises :class:`SettingsError` with a
Portuguese and English message naming every bad variable. The README's configuration table
is generated from these classes: ``python -m indicators.settings --markdown``
(``tests/indicators/test_settings.py`` keeps them in sync).

Leaf module: imports nothing else of the project, so every package may use it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

PREFIX = "OBS_"
DEFAULT_TARGETS_FILE = Path(__file__).resolve().parent / "registry" / "targets.toml"

# The mapping the sections read: the process environment unless load_settings() was given one.
_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("obs_environ", default=None)


class SettingsError(ValueError):
    """Invalid configuration; the message is bilingual and names each variable."""


class _EnvironSource(EnvSettingsSource):
    """The environment source, reading the mapping given to :func:`load_settings`."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        environ = _ENVIRON.get()
        return parse_env_vars(os.environ if environ is None else environ, self.case_sensitive,
                              self.env_ignore_empty, self.env_parse_none_str)


def _setting(default: Any, meaning: str, shown: str | None = None, **kwargs: Any) -> Any:
    """A field: its default, its meaning (README) and how the README shows the default."""
    return Field(default, description=meaning,
                 json_schema_extra={"shown_default": shown} if shown else None, **kwargs)


class _Section(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX,
                                      env_ignore_empty=True, extra="ignore")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _EnvironSource(settings_cls))


class PathSettings(_Section):
    """Where the observatory reads and writes (resolved to absolute paths)."""

    data_dir: Path = _setting(Path("data"), "root of everything the observatory writes "
                              "(git-ignored)", "./data")
    inbox_dir: Path | None = _setting(None, "where partner files arrive",
                                      "$OBS_DATA_DIR/inbox")
    warehouse: Path | None = _setting(None, "the pipeline's DuckDB warehouse (one writer)",
                                      "$OBS_DATA_DIR/warehouse.duckdb")
    targets_file: Path = _setting(DEFAULT_TARGETS_FILE, "EEA Grants baselines and targets "
                                  "(the shipped values are illustrative)",
                                  "indicators/registry/targets.toml")

    @model_validator(mode="after")
    def _resolve(self) -> PathSettings:
        self.data_dir = self.data_dir.resolve()
        self.inbox_dir = (self.inbox_dir or self.data_dir / "inbox").resolve()
        self.warehouse = (self.warehouse or self.data_dir / "warehouse.duckdb").resolve()
        return self


class RetentionSettings(_Section):
    release_retention: int = _setting(12, "published releases kept in `serving/` (never the "
                                      "current one)", ge=1)


class PipelineSettings(_Section):
    synthetic: bool = _setting(False, "`1` marks releases as synthetic data (the sample sets "
                               "it through `data/SYNTHETIC_DATA_README.txt`)", "unset")
    fault_point: str | None = _setting(None, "test hook: `<point>` kills the process there, "
                                       "`<point>=enospc` simulates a full disk (inert unset)")


class SmtpSettings(_Section):
    """E-mail for failed runs (alerts are always written to `data/alerts/`)."""

    model_config = SettingsConfigDict(env_prefix=PREFIX + "SMTP_")

    host: str | None = _setting(None, "SMTP server; failed runs are e-mailed only when it "
                                "and `OBS_SMTP_TO` are set")
    port: int | None = _setting(None, "SMTP port", "25 (587 with STARTTLS)", gt=0, lt=65536)
    sender: str = _setting("observatory@localhost", "sender address",
                           validation_alias="OBS_SMTP_FROM")
    to: str | None = _setting(None, "comma-separated recipients")
    user: str | None = _setting(None, "optional login")
    password: SecretStr | None = _setting(None, "password of the login")
    starttls: bool = _setting(False, "`1` upgrades the connection with STARTTLS", "unset")

    @property
    def effective_port(self) -> int:
        return self.port or (587 if self.starttls else 25)


class ReminderSettings(_Section):
    """E-mail reminders to partners about returns coming due and missing (`observatory
    remind`; sent through the SMTP settings above; never any figure)."""

    partner_contacts: Annotated[dict[str, list[str]], NoDecode] = _setting(
        {}, "JSON object, partner code → address or comma-separated addresses, e.g. "
        "`{\"APF\": \"dados@apf.example\"}`: who gets the reminders", "unset")
    reminder_days: int = _setting(5, "a \"coming due\" reminder this many days (or fewer) "
                                  "before the due date", ge=0)
    reminder_time: str = _setting("08:00", "`HH:MM`, Lisbon time: the Dagster schedule "
                                  "`partner_reminders_schedule` sends the reminders then, "
                                  "Monday to Friday (read when the definitions load)",
                                  pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @field_validator("partner_contacts", mode="before")
    @classmethod
    def _parse_contacts(cls, raw: object) -> object:
        if not isinstance(raw, str):
            return raw
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON ({error.msg})") from error
        if not isinstance(data, dict):
            raise ValueError("must be a JSON object")
        return {str(code).upper(): [a.strip() for a in str(addresses).split(",") if a.strip()]
                for code, addresses in data.items()}


class AccessSettings(_Section):
    """Dashboard access (see Security)."""

    public_access: bool = _setting(True, "`1`: public pages open without login (the demo). "
                                   "`0`: every page needs a login", "1")
    secret_key: SecretStr | None = _setting(None, "key Flask signs with (sessions themselves "
                                            "are server-side)", "random per start")
    cookie_secure: bool = _setting(True, "`Secure` cookies (HTTPS only). `observatory serve` "
                                   "on a loopback address sets `0` unless you set it", "1")
    session_hours: int = _setting(8, "session lifetime in hours", gt=0)
    users_file: Path | None = _setting(None, "dashboard users written by `observatory user "
                                       "add`", "$OBS_DATA_DIR/users.json")
    users: str | None = _setting(None, "dashboard users as a JSON list of `{\"username\", "
                                 "\"role\", \"password_hash\"}` (instead of the file)")


class ServingSettings(_Section):
    """The dashboard server and its read API."""

    dev: bool = _setting(False, "`1` turns on Dash debug mode with `observatory serve --dev` "
                         "(never in production)", "unset")
    trusted_proxy: str | None = _setting(None, "address of a reverse proxy in front of the "
                                         "server: the client address is then taken from its "
                                         "`X-Forwarded-For`")
    api_rate: int = _setting(120, "read-API requests per client address per minute (then 429 "
                             "with `Retry-After`)", ge=1)


SECTIONS: dict[str, type[_Section]] = {
    "paths": PathSettings, "retention": RetentionSettings, "pipeline": PipelineSettings,
    "smtp": SmtpSettings, "reminders": ReminderSettings, "access": AccessSettings,
    "serving": ServingSettings}


class Settings(BaseModel):
    """Every section, validated together. The path shortcuts keep call sites short."""

    model_config = ConfigDict(frozen=True)

    paths: PathSettings
    retention: RetentionSettings
    pipeline: PipelineSettings
    smtp: SmtpSettings
    reminders: ReminderSettings
    access: AccessSettings
    serving: ServingSettings

    @property
    def data_dir(self) -> Path:
        return self.paths.data_dir

    @property
    def inbox_dir(self) -> Path:
        assert self.paths.inbox_dir is not None
        return self.paths.inbox_dir

    @property
    def warehouse_path(self) -> Path:
        assert self.paths.warehouse is not None
        return self.paths.warehouse

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    def with_data_dir(self, data_dir: Path | str) -> Settings:
        """The same settings with every path under ``data_dir`` (tests, one-off runs)."""
        paths = PathSettings(data_dir=Path(data_dir), inbox_dir=None, warehouse=None,
                             targets_file=self.paths.targets_file)
        return self.model_copy(update={"paths": paths})

    def ensure_dirs(self) -> Settings:
        for folder in (self.data_dir, self.inbox_dir, self.archive_dir,
                       self.quarantine_dir, self.serving_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


# pydantic error type -> (Portuguese, English) explanation
_EXPLAINED: dict[str, tuple[str, str]] = {
    "int_parsing": ("deve ser um número inteiro", "must be a whole number"),
    "int_from_float": ("deve ser um número inteiro", "must be a whole number"),
    "bool_parsing": ("deve ser 1/0 (ou true/false, yes/no, on/off)",
                     "must be 1/0 (or true/false, yes/no, on/off)"),
    "greater_than_equal": ("é demasiado pequeno", "is too small"),
    "greater_than": ("é demasiado pequeno", "is too small"),
    "less_than": ("é demasiado grande", "is too large"),
}


def env_name(section: type[_Section], field: str) -> str:
    """The environment variable of ``section.field``."""
    info: FieldInfo = section.model_fields[field]
    if isinstance(info.validation_alias, str):
        return info.validation_alias
    return str(section.model_config.get("env_prefix", "")) + field.upper()


def _explain(section: type[_Section], error: Mapping[str, Any]) -> str:
    name = env_name(section, str(error["loc"][0])) if error["loc"] else section.__name__
    pt, en = _EXPLAINED.get(error["type"], ("valor inválido", error["msg"]))
    signs = {"ge": ">=", "gt": ">", "lt": "<"}
    limit = next((f" ({signs[k]} {v})" for k, v in (error.get("ctx") or {}).items()
                  if k in signs), "")
    return f"{name}={error.get('input')!r}: {pt} / {en}{limit}"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Validate every section from ``env`` (default: the process environment).

    Raises :class:`SettingsError` listing every invalid variable in Portuguese and English.
    The result is kept per content of the ``OBS_*`` variables and working directory (relative
    paths resolve against it): one refresh asks for the settings in every step (~75 times,
    ~5 ms each to validate); a changed variable is read afresh. The settings are frozen."""
    source = os.environ if env is None else env
    return _settings_for(tuple(sorted((k.upper(), v) for k, v in source.items()
                                      if k.upper().startswith(PREFIX))), os.getcwd())


@lru_cache(maxsize=16)
def _settings_for(obs_vars: tuple[tuple[str, str], ...], cwd: str) -> Settings:
    """Every section validated from the ``OBS_*`` variables ``obs_vars`` (``cwd``: part of
    the cache key only)."""
    token = _ENVIRON.set(dict(obs_vars))
    problems: list[str] = []
    values: dict[str, _Section] = {}
    try:
        for key, section in SECTIONS.items():
            try:
                values[key] = section()
            except ValidationError as exc:
                problems += [_explain(section, e) for e in exc.errors()]
    finally:
        _ENVIRON.reset(token)
    if problems:
        raise SettingsError("configuração inválida / invalid configuration:\n  "
                            + "\n  ".join(problems))
    return Settings(**values)


def _rows() -> Iterator[tuple[str, str, str]]:
    for section in SECTIONS.values():
        for field, info in section.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            shown = extra.get("shown_default") or (
                "unset" if info.default is None else str(info.default))
            yield env_name(section, field), str(shown), info.description or ""


def markdown_table() -> str:
    """The README's configuration table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | `{default}` | {meaning} |" if default != "unset"
              else f"| `{name}` | unset | {meaning} |" for name, default, meaning in _rows()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators.settings",
                                     description="configuração / configuration")
    parser.add_argument("--markdown", action="store_true",
                        help="the README configuration table / a tabela do README")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown_table())
        return 0
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(settings.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
