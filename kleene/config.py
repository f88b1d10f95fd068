"""Configuration: where state lives, which host to drive, pf paths, images.

Values come, in order of precedence, from the command line, the environment
(``KLEENE_BACKEND``, ``KLEENE_STATE_DIR``, ``KLEENE_CONFIG``), the TOML
configuration file, and built-in defaults (SPEC §2.1–§2.2). Loading is cheap:
``tomllib`` is imported only when a file exists.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kleene.errors import ConfigError

BACKENDS = ("sim", "freebsd")
PROFILES = ("default", "two-nic")
SYSTEM_CONFIG = Path("/usr/local/etc/kleene/kleene.toml")
DEFAULT_PF_TEMPLATE = "/usr/local/etc/kleene/pf.conf.kleene"


@dataclass(frozen=True)
class ImageConfig:
    """An image that containers are created from."""

    name: str
    id: str
    cmd: tuple[str, ...]
    tag: str = "latest"
    user: str = "root"
    snapshot: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Config:
    """The settings of one klee invocation."""

    backend: str
    state_dir: Path
    config_path: Path | None = None
    pf_conf_path: str = "/etc/pf.conf"
    pf_template_path: str = DEFAULT_PF_TEMPLATE
    zfs_root: str = "zroot/kleene"
    sim_seed: int = 0
    sim_profile: str = "default"
    images: tuple[ImageConfig, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def is_freebsd() -> bool:
    """Tell whether klee runs on FreeBSD."""
    return sys.platform.startswith("freebsd")


def default_backend() -> str:
    """Return the backend used when none is chosen: the host's own platform."""
    return "freebsd" if is_freebsd() else "sim"


def default_state_dir() -> Path:
    """Return the default state directory (SPEC §2.1)."""
    if is_freebsd() and os.geteuid() == 0:
        return Path("/var/db/kleene")
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / "kleene"


def find_config_file(explicit: str | None) -> Path | None:
    """Return the configuration file to read, or None for built-in defaults."""
    chosen = explicit or os.environ.get("KLEENE_CONFIG")
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise ConfigError(f"invalid configuration file {path}: file not found")
        return path
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    for candidate in (SYSTEM_CONFIG, Path(xdg) / "kleene" / "kleene.toml"):
        if candidate.is_file():
            return candidate
    return None


def load_config(
    *,
    backend: str | None = None,
    state_dir: str | None = None,
    config_path: str | None = None,
) -> Config:
    """Build the configuration from options, environment, file and defaults."""
    path = find_config_file(config_path)
    data = _read_toml(path) if path else {}
    settings = _validate(data, path) if path else {}

    chosen_backend = (
        backend
        or os.environ.get("KLEENE_BACKEND")
        or settings.pop("backend", None)
        or default_backend()
    )
    settings.pop("backend", None)
    if chosen_backend not in BACKENDS:
        raise ConfigError(f"invalid backend '{chosen_backend}': use 'sim' or 'freebsd'")
    chosen_dir = (
        state_dir
        or os.environ.get("KLEENE_STATE_DIR")
        or settings.pop("state_dir", None)
        or str(default_state_dir())
    )
    settings.pop("state_dir", None)
    return Config(
        backend=chosen_backend,
        state_dir=Path(chosen_dir).expanduser(),
        config_path=path,
        **settings,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"invalid configuration file {path}: {exc}") from exc


_STRINGS = ("backend", "state_dir", "pf_conf_path", "pf_template_path", "zfs_root")


def _validate(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """Check keys and types; return keyword arguments for ``Config``."""

    def fail(reason: str) -> ConfigError:
        return ConfigError(f"invalid configuration file {path}: {reason}")

    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key in _STRINGS:
            if not isinstance(value, str):
                raise fail(f"'{key}' must be a string")
            settings[key] = value
        elif key == "sim":
            settings.update(_validate_sim(value, fail))
        elif key == "images":
            settings["images"] = _validate_images(value, fail)
        else:
            raise fail(f"unknown key '{key}'")
    if settings.get("backend", "sim") not in BACKENDS:
        raise fail(f"'backend' must be 'sim' or 'freebsd', not '{settings['backend']}'")
    return settings


def _validate_sim(value: Any, fail: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail("'sim' must be a table")
    settings: dict[str, Any] = {}
    for key, item in value.items():
        if key == "seed":
            if not isinstance(item, int) or isinstance(item, bool):
                raise fail("'sim.seed' must be an integer")
            settings["sim_seed"] = item
        elif key == "profile":
            if item not in PROFILES:
                raise fail("'sim.profile' must be 'default' or 'two-nic'")
            settings["sim_profile"] = item
        else:
            raise fail(f"unknown key 'sim.{key}'")
    return settings


_IMAGE_KEYS = {"name", "tag", "id", "cmd", "user", "snapshot", "path"}


def _validate_images(value: Any, fail: Any) -> tuple[ImageConfig, ...]:
    if not isinstance(value, list):
        raise fail("'images' must be an array of tables")
    images = []
    for index, item in enumerate(value):
        where = f"images[{index}]"
        if not isinstance(item, dict):
            raise fail(f"'{where}' must be a table")
        unknown = set(item) - _IMAGE_KEYS
        if unknown:
            raise fail(f"unknown key '{where}.{sorted(unknown)[0]}'")
        for key in ("name", "id"):
            if not isinstance(item.get(key), str):
                raise fail(f"'{where}.{key}' must be a string")
        cmd = item.get("cmd", [])
        if not isinstance(cmd, list) or not all(isinstance(c, str) for c in cmd):
            raise fail(f"'{where}.cmd' must be a list of strings")
        images.append(
            ImageConfig(
                name=item["name"],
                id=item["id"],
                cmd=tuple(cmd),
                tag=str(item.get("tag", "latest")),
                user=str(item.get("user", "root")),
                snapshot=item.get("snapshot"),
                path=item.get("path"),
            )
        )
    return tuple(images)
