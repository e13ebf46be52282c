"""Configuration: file discovery, defaults, TIMELINE_* overrides and one-line errors naming key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.config import Config, format_interval, load_config, parse_interval
from timeline.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("15m", 900),
        ("1s", 1),
        ("2h", 7200),
        ("1d", 86400),
        ("1h30m", 5400),
        ("0.5s", 0.5),
        ("90", 90),
        (5, 5),
    ],
)
def test_intervals(text: str | int, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "15x", "m", "-1s", "0", "1h and more", True])
def test_bad_intervals(text: str | bool) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_format_interval_round_trips() -> None:
    for seconds in (1, 59, 60, 900, 5400, 7200, 86400, 0.5):
        assert parse_interval(format_interval(seconds)) == seconds


def test_the_shipped_config_is_valid_and_matches_the_defaults(tmp_path: Path) -> None:
    shipped = load_config(ROOT / "config" / "timeline.toml", environ={"XDG_DATA_HOME": str(tmp_path)})
    defaults = load_config(environ={"XDG_DATA_HOME": str(tmp_path)})
    assert shipped.model_dump(exclude={"path", "output"}) == defaults.model_dump(exclude={"path", "output"})
    assert shipped.store.url == f"sqlite:///{tmp_path / 'timeline' / 'timeline.db'}"
    assert shipped.http.allow_private_addresses is False and shipped.feeds == []


def test_no_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={"HOME": str(tmp_path)})
    assert config.path is None and config.story.keywords == [] and config.output.json_path.is_absolute()
    assert config == Config.model_validate({**config.model_dump(by_alias=True)})


def test_file_keys_and_relative_paths(tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.toml",
        """
[store]
url = "sqlite:///data/t.db"
[output]
json = "out/timeline.json"
[story]
keywords = ["ceasefire", "Gaza Strip"]
[[feeds]]
url = "http://127.0.0.1:8000/rss"
name = "Local RSS"
interval = "1s"
[[feeds]]
url = "https://example.org/atom"
language = "fr"
[http]
timeout = "30s"
max_bytes = 1000
allow_private_addresses = true
[daemon]
workers = 2
jitter = "5s"
""",
    )
    config = load_config(path, environ={})
    assert config.store.url == f"sqlite:///{tmp_path / 'data' / 't.db'}"
    assert config.output.json_path == tmp_path / "out" / "timeline.json"
    assert config.story.keywords == ["ceasefire", "Gaza Strip"]
    assert [(f.url, f.name, f.interval, f.language) for f in config.feeds] == [
        ("http://127.0.0.1:8000/rss", "Local RSS", 1.0, "auto"),
        ("https://example.org/atom", None, 900.0, "fr"),
    ]
    assert (config.http.timeout, config.http.max_bytes, config.http.allow_private_addresses) == (
        30.0,
        1000,
        True,
    )
    assert (config.daemon.workers, config.daemon.jitter) == (2, 5.0)


def test_path_comes_from_argument_then_env_then_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    write(tmp_path / "config" / "timeline.toml", '[story]\nkeywords = ["local"]\n')
    env_file = write(tmp_path / "env.toml", '[story]\nkeywords = ["env"]\n')
    arg_file = write(tmp_path / "arg.toml", '[story]\nkeywords = ["arg"]\n')
    assert load_config(environ={}).story.keywords == ["local"]
    assert load_config(environ={"TIMELINE_CONFIG": str(env_file)}).story.keywords == ["env"]
    assert load_config(arg_file, environ={"TIMELINE_CONFIG": str(env_file)}).story.keywords == ["arg"]


def test_environment_overrides_every_section(tmp_path: Path) -> None:
    path = write(tmp_path / "t.toml", '[http]\ntimeout = 5\n[[feeds]]\nurl = "http://a/rss"\n')
    environ = {
        "TIMELINE_STORE_URL": "postgresql+psycopg://u@db/timeline",
        "TIMELINE_OUTPUT_JSON": "/srv/timeline.json",
        "TIMELINE_STORY_KEYWORDS": "ceasefire, hostage deal ,",
        "TIMELINE_HTTP_TIMEOUT": "7",
        "TIMELINE_HTTP_ALLOW_PRIVATE_ADDRESSES": "yes",
        "TIMELINE_HTTP_USER_AGENT": "ua/1",
        "TIMELINE_DAEMON_WORKERS": "3",
        "TIMELINE_FEEDS": "http://b/rss, http://c/atom",
        "TIMELINE_UNRELATED": "ignored",
    }
    config = load_config(path, environ=environ)
    assert config.store.url == "postgresql+psycopg://u@db/timeline"
    assert config.output.json_path == Path("/srv/timeline.json")
    assert config.story.keywords == ["ceasefire", "hostage deal"]
    assert (config.http.timeout, config.http.allow_private_addresses, config.http.user_agent) == (
        7.0,
        True,
        "ua/1",
    )
    assert config.daemon.workers == 3
    assert [f.url for f in config.feeds] == ["http://b/rss", "http://c/atom"]


@pytest.mark.parametrize(
    ("text", "environ", "expected"),
    [
        ('[http]\ntimeout = "soon"\n', {}, "t.toml: [http] timeout: expected a duration"),
        ("[http]\nmax_bytes = -1\n", {}, "t.toml: [http] max_bytes:"),
        ("[htp]\ntimeout = 1\n", {}, "t.toml: [htp]: unknown key"),
        ("[http]\ntimeuot = 1\n", {}, "t.toml: [http] timeuot: unknown key"),
        (
            '[[feeds]]\nurl = "http://ok/rss"\n[[feeds]]\nurl = "file:///etc/passwd"\n',
            {},
            "[[feeds]] #2 url:",
        ),
        ('[[feeds]]\nurl = "http://ok/rss"\ninterval = "often"\n', {}, "[[feeds]] #1 interval:"),
        ('[store]\nurl = "::nonsense"\n', {}, "t.toml: [store] url: not an SQLAlchemy URL"),
        ("[story\n", {}, "t.toml: invalid TOML"),
        ('path = "elsewhere"\n', {}, "t.toml: path: unknown key"),
        ("[[feeds]]\nname = 'no url'\n", {}, "t.toml: [[feeds]] #1 url: Field required"),
        ("", {"TIMELINE_HTTP_TIMEOUT": "never"}, "TIMELINE_HTTP_TIMEOUT: [http] timeout:"),
        (
            "",
            {"TIMELINE_HTTP_ALLOW_PRIVATE_ADDRESSES": "maybe"},
            "TIMELINE_HTTP_ALLOW_PRIVATE_ADDRESSES: [http]",
        ),
        ("", {"TIMELINE_HTTP_TIMEUOT": "1"}, "TIMELINE_HTTP_TIMEUOT: unknown key [http] timeuot"),
        ("", {"TIMELINE_DAEMON_WORKERS": "many"}, "TIMELINE_DAEMON_WORKERS: [daemon] workers:"),
    ],
)
def test_invalid_values_are_one_line_naming_key_and_source(
    tmp_path: Path, text: str, environ: dict[str, str], expected: str
) -> None:
    path = write(tmp_path / "t.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ)
    message = str(caught.value)
    assert expected in message and "\n" not in message


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.toml", environ={})
    with pytest.raises(ConfigError, match="absent.toml: config file not found"):
        load_config(environ={"TIMELINE_CONFIG": str(tmp_path / "absent.toml")})
