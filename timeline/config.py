"""Configuration: one TOML file, every key overridable by a `TIMELINE_*` environment variable.

Where the file comes from, first match wins: the `path` argument (`--config`), `TIMELINE_CONFIG`,
`config/timeline.toml` in the working directory, else built-in defaults.

Environment rule: `TIMELINE_<SECTION>_<KEY>` in upper case overrides `[section] key`, e.g.
`TIMELINE_STORE_URL`, `TIMELINE_OUTPUT_JSON`, `TIMELINE_HTTP_TIMEOUT`, `TIMELINE_DAEMON_WORKERS`.
Lists are comma-separated (`TIMELINE_STORY_KEYWORDS="ceasefire, Gaza"`), booleans are
`1/true/yes/on` or `0/false/no/off`, intervals and timeouts take `"15m"`, `"2h"` or plain seconds.
`TIMELINE_FEEDS` (comma-separated URLs) replaces the `[[feeds]]` list with feeds at default settings.

In Python the `[output] json` key is `config.output.json_path` (a pydantic model cannot have a field
named `json`).

Relative paths (`[output] json`, a relative SQLite database, from the file or from the environment) are
resolved against the directory of the config file, so a config can be moved together with its data;
without a file they are relative to the working directory. The default store is a SQLite file in
`$XDG_DATA_HOME/timeline/timeline.db` (`~/.local/share/timeline/timeline.db`), created on first use.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from timeline.errors import ConfigError

DEFAULT_PATH = Path("config/timeline.toml")
ENV_PREFIX = "TIMELINE_"
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_interval(value: str | float | int) -> float:
    """Read a duration such as "15m", "1s", "2h", "1d", "1h30m" or a number of seconds, as seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 15m, 1h or 30s")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            parts = _INTERVAL.findall(text)
            if not parts or _INTERVAL.sub("", text).strip():
                raise ValueError(f"expected a duration such as 15m, 1h or 30s, got {value!r}") from None
            seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"duration must be positive, got {value!r}")
    return seconds


def format_interval(seconds: float) -> str:
    """Write seconds back in the shortest exact unit form ("15m", "1d", "90s") for lists and OPML."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def default_store_url(environ: dict[str, str] | None = None) -> str:
    """The SQLite file in `$XDG_DATA_HOME/timeline/` (else `~/.local/share/timeline/`), as XDG asks."""
    environ = dict(os.environ) if environ is None else environ
    home = environ.get("HOME") or str(Path.home())
    base = environ.get("XDG_DATA_HOME") or str(Path(home) / ".local" / "share")
    return f"sqlite:///{Path(base) / 'timeline' / 'timeline.db'}"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreConfig(_Section):
    """`[store]`: where articles and polling state live."""

    url: str = Field(default_factory=default_store_url)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError(f"not an SQLAlchemy URL: {value!r}") from None
        return value


class OutputConfig(_Section):
    """`[output]`: the timeline JSON the daemon keeps current."""

    json_path: Path = Field(Path("timeline.json"), alias="json")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class StoryConfig(_Section):
    """`[story]`: which stored articles belong to the story; empty keywords means all of them."""

    keywords: list[str] = Field(default_factory=list)

    @field_validator("keywords", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            return [k.strip() for k in value if isinstance(k, str) and k.strip()] + [
                k for k in value if not isinstance(k, str)
            ]
        return value


class FeedConfig(_Section):
    """One `[[feeds]]` entry: a feed the store should poll."""

    url: str
    name: str | None = None
    interval: float = 900.0
    # "auto": the feed's own <language>, else each article's detected language
    language: str = "auto"

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: Any) -> float:
        return parse_interval(value)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        from timeline.errors import InputError
        from timeline.store.urls import check_feed_url

        try:
            return check_feed_url(value)
        except InputError as exc:
            raise ValueError(str(exc)) from None


class HttpConfig(_Section):
    """`[http]`: how feeds and pages are fetched."""

    timeout: float = 20.0
    user_agent: str = "timeline/0.1 (+https://github.com/timeline/timeline; feed reader)"
    max_bytes: int = Field(10_000_000, gt=0)
    allow_private_addresses: bool = False

    @field_validator("timeout", mode="before")
    @classmethod
    def _timeout(cls, value: Any) -> float:
        return parse_interval(value)


class DaemonConfig(_Section):
    """`[daemon]`: the scheduler's worker pool and pacing."""

    workers: int = Field(4, ge=1, le=64)
    jitter: float = Field(0.0, ge=0.0, description="random seconds added to each feed's next check")
    dispatch_interval: float = Field(1.0, description="seconds between looks for due feeds")
    max_failures: int = Field(10, ge=1, description="consecutive failures before a feed is flagged")
    max_backoff: float = Field(86400.0, description="longest wait between retries of a failing feed")
    lease: float = Field(
        120.0,
        description="how long a claimed feed is held by its poll (renewed while it runs); a replica "
        "killed mid-poll frees its feeds after this",
    )
    extract_processes: int = Field(
        0,
        ge=0,
        le=16,
        description="processes that extract mentions for the poll workers (0: in the polling threads); "
        "a box with many feeds sets it to its cores, so extraction does not queue behind one interpreter",
    )

    @field_validator("jitter", "dispatch_interval", "max_backoff", "lease", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        if value in (0, "0"):
            return 0.0
        return parse_interval(value)


class ServeConfig(_Section):
    """`[serve]`: the web page and HTTP API of `timeline serve` and `timeline daemon --serve`."""

    host: str = Field("127.0.0.1", description="address to listen on; loopback unless told otherwise")
    port: int = Field(8080, ge=0, le=65535)
    title: str = Field("Timeline", min_length=1, description="the page's and the exports' title")
    max_round_age: float = Field(
        3600.0, ge=0.0, description="/healthz is unhealthy when no feed poll succeeded for longer; 0: off"
    )
    refresh: float = Field(30.0, ge=0.0, description="seconds between the page's checks for a change; 0: off")

    @field_validator("max_round_age", "refresh", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        if value in (0, "0"):
            return 0.0
        return parse_interval(value)


class Config(_Section):
    """The whole configuration, as loaded by `load_config`."""

    store: StoreConfig = Field(default_factory=StoreConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    story: StoryConfig = Field(default_factory=StoryConfig)
    feeds: list[FeedConfig] = Field(default_factory=list)
    http: HttpConfig = Field(default_factory=HttpConfig)
    daemon: DaemonConfig = Field(default_factory=DaemonConfig)
    serve: ServeConfig = Field(default_factory=ServeConfig)
    path: Path | None = Field(None, description="the file this was read from, if any")


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _env_value(section: str, key: str, raw: str, where: str) -> Any:
    models: dict[str, type[BaseModel]] = {
        "store": StoreConfig,
        "output": OutputConfig,
        "story": StoryConfig,
        "http": HttpConfig,
        "daemon": DaemonConfig,
        "serve": ServeConfig,
    }
    model = models.get(section)
    if model is None:
        raise ConfigError(f"{where}: unknown section {section!r}")
    name = "json_path" if (section, key) == ("output", "json") else key
    info = model.model_fields.get(name)
    if info is None:
        raise ConfigError(f"{where}: unknown key [{section}] {key}")
    if info.annotation is bool:
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{where}: [{section}] {key} must be true or false, got {raw!r}")
    return raw


def _apply_env(data: dict[str, Any], environ: dict[str, str]) -> dict[str, str]:
    """Merge `TIMELINE_*` overrides into the parsed file; return which keys came from where."""
    origins: dict[str, str] = {}
    sections = ("store", "output", "story", "http", "daemon", "serve")
    for name, raw in sorted(environ.items()):
        if (
            not name.startswith(ENV_PREFIX)
            or name == ENV_PREFIX + "CONFIG"
            or name.startswith("TIMELINE_TEST")
        ):
            continue
        rest = name[len(ENV_PREFIX) :].lower()
        if rest == "feeds":
            data["feeds"] = [{"url": u.strip()} for u in raw.split(",") if u.strip()]
            origins["feeds"] = name
            continue
        section = next((s for s in sections if rest.startswith(s + "_")), None)
        if section is None:
            continue  # other TIMELINE_* variables (e.g. a tool's own) are not ours to judge
        key = rest[len(section) + 1 :]
        data.setdefault(section, {})
        if not isinstance(data[section], dict):
            raise ConfigError(f"{name}: [{section}] is not a table in the config file")
        data[section][key] = _env_value(section, key, raw, name)
        origins[f"{section}.{key}"] = name
    return origins


def _describe(error: ValidationError, data: dict[str, Any], origins: dict[str, str], where: str) -> str:
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"]]
    if loc and loc[0] == "feeds" and len(loc) > 1:
        key = f"[[feeds]] #{int(loc[1]) + 1}" + (f" {'.'.join(loc[2:])}" if len(loc) > 2 else "")
    elif len(loc) >= 2:
        key = f"[{loc[0]}] {'.'.join(loc[1:])}"
    else:
        key = f"[{loc[0]}]" if loc else "config"
    key = key.replace("json_path", "json")
    source = origins.get(".".join(loc[:2]).replace("json_path", "json")) or origins.get(loc[0] if loc else "")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{source or where}: {key}: {message}"


def _resolve_paths(config: Config, base: Path) -> Config:
    if not config.output.json_path.is_absolute():
        config.output.json_path = Path(os.path.normpath(base / config.output.json_path))
    url = make_url(config.store.url)
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        database = Path(url.database).expanduser()
        if not database.is_absolute():
            database = base / database
        config.store.url = url.set(database=str(database)).render_as_string(hide_password=False)
    return config


def load_config(path: Path | str | None = None, *, environ: dict[str, str] | None = None) -> Config:
    """Load the configuration from `path`, `TIMELINE_CONFIG`, `config/timeline.toml` or defaults, then env."""
    environ = dict(os.environ if environ is None else environ)
    found = _find_path(path, environ)
    data: dict[str, Any] = _read_file(found) if found else {}
    where = str(found) if found else "defaults"
    if "path" in data:  # a Config field, but set from where the file was found, never from the file
        raise ConfigError(f"{where}: path: unknown key")
    origins = _apply_env(data, environ)
    store = data.setdefault("store", {})
    if isinstance(store, dict) and "url" not in store:
        store["url"] = default_store_url(environ)
    try:
        config = Config.model_validate({**data, "path": found})
    except ValidationError as exc:
        raise ConfigError(_describe(exc, data, origins, where)) from None
    base = found.resolve().parent if found else Path.cwd()
    return _resolve_paths(config, base)


def _find_path(path: Path | str | None, environ: dict[str, str]) -> Path | None:
    if path is not None:
        return Path(path)
    if environ.get(ENV_PREFIX + "CONFIG"):
        return Path(environ[ENV_PREFIX + "CONFIG"])
    return DEFAULT_PATH if DEFAULT_PATH.is_file() else None
