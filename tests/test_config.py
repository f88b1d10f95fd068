"""Configuration: precedence, file lookup and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from kleene.config import load_config
from kleene.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("KLEENE_BACKEND", "KLEENE_STATE_DIR", "KLEENE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_defaults_use_the_xdg_state_directory(tmp_path: Path) -> None:
    config = load_config()
    assert config.state_dir == tmp_path / "xdg-state" / "kleene"
    assert config.backend == "sim"
    assert config.pf_conf_path == "/etc/pf.conf"


def test_option_beats_environment_beats_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "k.toml", 'state_dir = "/from/file"\nbackend = "sim"\n')
    assert load_config(config_path=str(path)).state_dir == Path("/from/file")
    monkeypatch.setenv("KLEENE_STATE_DIR", "/from/env")
    assert load_config(config_path=str(path)).state_dir == Path("/from/env")
    config = load_config(config_path=str(path), state_dir="/from/option")
    assert config.state_dir == Path("/from/option")


def test_file_in_xdg_config_home_is_found(tmp_path: Path) -> None:
    folder = tmp_path / "xdg-config" / "kleene"
    folder.mkdir(parents=True)
    write(folder / "kleene.toml", '[sim]\nseed = 7\nprofile = "two-nic"\n')
    config = load_config()
    assert (config.sim_seed, config.sim_profile) == (7, "two-nic")


def test_missing_explicit_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found") as caught:
        load_config(config_path=str(tmp_path / "absent.toml"))
    assert str(caught.value) == (
        f"invalid configuration file {tmp_path / 'absent.toml'}: file not found"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("state_dir = 3\n", "'state_dir' must be a string"),
        ('[sim]\nseed = "x"\n', "'sim.seed' must be an integer"),
        ('[sim]\nprofile = "three"\n', "'sim.profile' must be 'default' or 'two-nic'"),
        ('backend = "linux"\n', "'backend' must be 'sim' or 'freebsd', not 'linux'"),
        ('[[images]]\nname = "x"\n', "'images[0].id' must be a string"),
        ("not toml at all", "Expected"),
    ],
)
def test_invalid_file_is_reported_with_its_reason(
    tmp_path: Path, text: str, reason: str
) -> None:
    path = write(tmp_path / "k.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(config_path=str(path))
    assert str(caught.value).startswith(f"invalid configuration file {path}: ")
    assert reason in str(caught.value)


def test_images_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "k.toml",
        '[[images]]\nname = "FreeBSD"\nid = "11370bfb4a88"\ncmd = ["/bin/sh"]\n'
        'snapshot = "zroot/kleene/image/11370bfb4a88@base"\n',
    )
    (image,) = load_config(config_path=str(path)).images or ()
    assert (image.name, image.tag, image.user) == ("FreeBSD", "latest", "root")
    assert image.cmd == ("/bin/sh",)
