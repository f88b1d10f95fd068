"""zfs, mount and umount on the simulated host (reference §8, §11)."""

from __future__ import annotations

import json

from tests.sim.simhost import Ok, Run

SNAPSHOT = "zroot/kleene/image/11370bfb4a88@base"
DATASET = "zroot/kleene/container/a1b2c3d4e5f6"


def test_clone_list_destroy(ok: Ok, run: Run) -> None:
    assert ok(f"/sbin/zfs clone {SNAPSHOT} {DATASET}") == ""
    assert ok(f"/sbin/zfs list -H -o mountpoint {DATASET}") == f"/{DATASET}\n"
    assert ok(f"/sbin/zfs destroy -rf {DATASET}") == ""
    result = run(f"/sbin/zfs list -H -o mountpoint {DATASET}")
    assert (result.status, result.output) == (
        1,
        f"cannot open '{DATASET}': dataset does not exist\n",
    )


def test_clone_of_a_taken_name_and_destroy_of_a_missing_one(ok: Ok, run: Run) -> None:
    ok(f"zfs clone {SNAPSHOT} {DATASET}")
    assert run(f"zfs clone {SNAPSHOT} {DATASET}").output == (
        f"cannot create '{DATASET}': dataset already exists\n"
    )
    assert run("zfs destroy -rf zroot/nosuch").output == (
        "cannot open 'zroot/nosuch': dataset does not exist\n"
    )


def test_destroy_takes_descendants(ok: Ok, run: Run) -> None:
    ok(f"zfs clone {SNAPSHOT} zroot/a")
    ok(f"zfs clone {SNAPSHOT} zroot/a/b")
    ok("zfs destroy -rf zroot/a")
    assert run("zfs list -H -o mountpoint zroot/a/b").status == 1


def test_zfs_usage(run: Run) -> None:
    assert run("zfs snapshot zroot@x").status == 64


def test_mount_lists_devfs_and_umount_removes_it(ok: Ok, run: Run) -> None:
    ok("jail -c name=c1 path=/zroot/c1 mount.devfs persist")
    mounted = json.loads(ok("/sbin/mount --libxo json -t devfs"))["mount"]["mounted"]
    assert [entry["node"] for entry in mounted] == ["/dev", "/zroot/c1/dev"]
    assert mounted[1] == {
        "fstype": "devfs",
        "special": "devfs",
        "node": "/zroot/c1/dev",
    }
    assert (
        ok("mount -t devfs").splitlines()[1] == "devfs on /zroot/c1/dev (devfs, local)"
    )
    assert ok("/sbin/umount /zroot/c1/dev") == ""
    result = run("umount /zroot/c1/dev")
    assert (result.status, result.output) == (
        1,
        "umount: /zroot/c1/dev: not a file system root directory\n",
    )
