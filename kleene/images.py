"""Images that containers are created from (SPEC §2.2, §7.3).

An image is found by ``NAME[:TAG]`` (tag ``latest`` by default) or by its id.
The simulated host has a built-in catalogue; on FreeBSD images come from the
configuration file only.
"""

from __future__ import annotations

from collections.abc import Sequence

from kleene.config import Config, ImageConfig
from kleene.errors import NotFound

RC = ("/bin/sh", "/etc/rc")


def sim_catalogue(zfs_root: str) -> tuple[ImageConfig, ...]:
    """Return the simulated host's images, as ZFS snapshots under ``zfs_root``."""
    entries = (
        ("FreeBSD", "latest", "11370bfb4a88", RC),
        ("FreeBSD", "testing", "48fa55889b0f", RC),
        ("FreeBSD-13.2-RELEASE", "latest", "cecc28cf8ad4", RC),
        (
            "webapp",
            "latest",
            "6b3c821605d4",
            ("/bin/sh", "-c", "cd /app && node src/index.js"),
        ),
    )
    return tuple(
        ImageConfig(
            name=name,
            tag=tag,
            id=image_id,
            cmd=cmd,
            snapshot=f"{zfs_root}/image/{image_id}@base",
        )
        for name, tag, image_id, cmd in entries
    )


def catalogue(config: Config) -> Sequence[ImageConfig]:
    """Return the images of this configuration."""
    if config.images is not None:
        return config.images
    if config.backend == "sim":
        return sim_catalogue(config.zfs_root)
    return ()


def find_image(config: Config, reference: str) -> ImageConfig:
    """Find an image by ``NAME[:TAG]`` or id."""
    name, _, tag = reference.partition(":")
    tag = tag or "latest"
    images = catalogue(config)
    for image in images:
        if image.name == name and image.tag == tag:
            return image
    for image in images:
        if image.id == reference:
            return image
    raise NotFound(f"no such image '{reference}'")
