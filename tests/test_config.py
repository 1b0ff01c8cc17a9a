"""Settings: production refuses to start half-configured; development keeps one generated key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ((), "SECRET_KEY, DATABASE_URL"),
        (("DATABASE_URL",), "SECRET_KEY"),
        (("SECRET_KEY",), "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without(
    monkeypatch: pytest.MonkeyPatch, present: tuple[str, ...], missing: str
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name in present:
        monkeypatch.setenv(name, "set")
    with pytest.raises(RuntimeError, match=f"environment variables: {missing}$"):
        config.config_for("production")


def test_production_starts_with_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db/werkzaam")
    settings = config.config_for("production")
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.PREFERRED_URL_SCHEME == "https"
    assert settings.DEBUG is False and settings.TESTING is False


def test_werkzaam_env_chooses_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setenv("WERKZAAM_ENV", "testing")
    assert isinstance(config.config_for(), config.TestingConfig)
    monkeypatch.setenv("WERKZAAM_ENV", "development")
    assert isinstance(config.config_for(), config.DevelopmentConfig)
    monkeypatch.delenv("WERKZAAM_ENV")
    assert isinstance(config.config_for(), config.DevelopmentConfig)


def test_development_generates_the_secret_key_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    monkeypatch.setattr(config, "INSTANCE_DIR", instance)
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)

    first = config.config_for("development").SECRET_KEY
    key_file = instance / "secret_key"
    assert first and len(first) == 64
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first == config.config_for("development").SECRET_KEY


def test_development_uses_secret_key_from_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", "from-env")
    assert config.config_for("development").SECRET_KEY == "from-env"
    assert not (tmp_path / "secret_key").exists()


def _settings_in_new_process(env: dict[str, str], expr: str) -> subprocess.CompletedProcess[str]:
    """Evaluate `expr` on config_for() in a fresh interpreter: the environment is read at import."""
    return subprocess.run(
        [sys.executable, "-c", f"import config; s = config.config_for(); print({expr})"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30,
    )


def _clean_env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DATABASE_URL", "WERKZAAM_ENV", "WERKZAAM_INSTANCE"}}
    return {**keep, **values}


def test_development_key_survives_restarts(tmp_path: Path) -> None:
    env = _clean_env(WERKZAAM_ENV="development", WERKZAAM_INSTANCE=str(tmp_path / "inst"))
    runs = [_settings_in_new_process(env, "s.SECRET_KEY, s.DATABASE_URL") for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout
    key, url = runs[0].stdout.split()
    assert key == (tmp_path / "inst" / "secret_key").read_text().strip()
    assert url == f"sqlite:///{tmp_path / 'inst' / 'werkzaam.db'}"


def test_production_process_reads_its_environment(tmp_path: Path) -> None:
    url = "postgresql+psycopg://app@db/werkzaam"
    env = _clean_env(WERKZAAM_ENV="production", SECRET_KEY="s3cret", DATABASE_URL=url,
                     WERKZAAM_INSTANCE=str(tmp_path))
    run = _settings_in_new_process(env, "s.SECRET_KEY, s.DATABASE_URL")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["s3cret", url]

    run = _settings_in_new_process(_clean_env(WERKZAAM_ENV="production"), "s")
    assert run.returncode != 0
    needs = "RuntimeError: Production needs these environment variables: SECRET_KEY, DATABASE_URL"
    assert needs in run.stderr
