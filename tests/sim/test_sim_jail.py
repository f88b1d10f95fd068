"""jail(8) on the simulated host: -c in FreeBSD's order, -m, -r, lifetimes."""

from __future__ import annotations

from pathlib import Path

from kleene.backends.base import status_path
from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, Run, follow, jail_argv


def test_command_output_is_the_process_output_and_the_jail_goes(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    argv = jail_argv("c1", "ip4=inherit", "ip6=inherit", command=("echo", "hello"))
    status, output = follow(host, argv, tmp_path / "exec" / "e1.log")
    assert (status, output) == (0, "hello\n")
    assert status_path(tmp_path / "exec" / "e1.log").read_text() == "0\n"
    assert ok("jls") == "   JID  IP Address      Hostname                      Path\n"


def test_failing_command_prints_jail_failed_and_exits_1(
    host: SimulatedHost, tmp_path: Path
) -> None:
    argv = jail_argv(
        "c1", "ip4=inherit", command=("ifconfig", "lo0", "alias", "127.0.0.3")
    )
    status, output = follow(host, argv, tmp_path / "e.log")
    assert status == 1
    assert output == (
        "ifconfig: ioctl (SIOCAIFADDR): permission denied\n"
        "jail: /usr/bin/env ifconfig lo0 alias 127.0.0.3: failed\n"
    )


def test_unknown_command_goes_through_env(host: SimulatedHost, tmp_path: Path) -> None:
    argv = jail_argv("c1", command=("frobnicate", "now"))
    status, output = follow(host, argv, tmp_path / "e.log")
    assert status == 1
    assert output == (
        "env: frobnicate: No such file or directory\n"
        "jail: /usr/bin/env frobnicate now: failed\n"
    )


def test_unknown_parameter_is_refused(run: Run) -> None:
    result = run("jail -c name=c1 path=/ bogus.param=1 command=true")
    assert (result.status, result.output) == (
        1,
        "jail: unknown parameter: bogus.param\n",
    )


def test_known_parameters_are_accepted(run: Run) -> None:
    params = (
        "name=c1 path=/ persist allow.raw_sockets allow.nomount enforce_statfs=2 "
        "devfs_ruleset=4 securelevel=3 children.max=0 osrelease=13.2-RELEASE "
        "osreldate=1302001 sysvmsg=new sysvsem=new sysvshm=new exec.noclean "
        "mount.nodevfs exec.poststart=true"
    )
    assert run(f"jail -c {params}").status == 0
    assert run("jls -j c1").status == 0


def test_jids_count_from_1_and_are_never_reused(ok: Ok, run: Run) -> None:
    ok("jail -c name=a path=/a persist")
    ok("jail -r a")
    ok("jail -c name=b path=/b persist")
    ok("jail -c name=c path=/c persist")
    assert ok("jls").splitlines()[1:] == [
        "     2                  b                             /b",
        "     3                  c                             /c",
    ]


def test_steps_run_in_freebsd_order(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("ifconfig bridge create name kleene1")
    ok("ifconfig epair create")
    argv = jail_argv(
        "c3",
        "vnet",
        "vnet.interface=epair0b",
        "exec.prestart=ifconfig kleene1 addm epair0a",
        "exec.prestart=echo prestart; ifconfig epair0b",
        "exec.start=echo start; ifconfig epair0b inet 10.4.6.2/24",
        "exec.start=route add -inet default 10.4.6.1",
        command=("hostname",),
    )
    status, output = follow(host, argv, tmp_path / "e.log")
    assert status == 0
    lines = output.splitlines()
    assert lines[0] == "prestart"
    assert lines[1].startswith("epair0b: flags=8862<")
    assert lines[-3:] == ["start", "add net default: gateway 10.4.6.1", "c3"]


def test_failing_prestart_creates_no_jail(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    argv = jail_argv("c1", "exec.prestart=ifconfig nosuch0 up", command=("true",))
    status, output = follow(host, argv, tmp_path / "e.log")
    assert status == 1
    assert output == (
        "ifconfig: interface nosuch0 does not exist\n"
        "jail: ifconfig nosuch0 up: failed\n"
    )
    ok("jail -c name=probe path=/ persist")
    assert ok("jls -j probe").splitlines()[1].split()[0] == "1"
    assert "container/c1/dev" not in ok("mount --libxo json -t devfs")


def test_failing_start_removes_the_jail_and_returns_interfaces(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("ifconfig epair create")
    argv = jail_argv(
        "c1", "vnet", "vnet.interface=epair0b", "exec.start=false", command=("true",)
    )
    status, output = follow(host, argv, tmp_path / "e.log")
    assert (status, output) == (1, "jail: false: failed\n")
    assert ok("jls").count("\n") == 1
    assert ok("ifconfig epair0b").startswith("epair0b: ")


def test_vnet_jail_has_its_own_loopback_and_pflog(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    ok("ifconfig epair create")
    status, output = follow(
        host,
        jail_argv("c1", "vnet", "vnet.interface=epair0b", command=("ifconfig",)),
        tmp_path / "e.log",
    )
    assert status == 0
    names = [
        line.split(":")[0] for line in output.splitlines() if not line[0].isspace()
    ]
    assert names == ["lo0", "pflog0", "epair0b"]
    assert "lo0: flags=8008<LOOPBACK,MULTICAST> metric 0 mtu 16384" in output


def test_interfaces_come_back_last_with_a_new_index(ok: Ok) -> None:
    ok("ifconfig epair create")
    ok("jail -c name=v path=/ vnet vnet.interface=epair0b persist")
    assert "epair0b" not in ok("ifconfig")
    ok("jail -r v")
    names = [
        line.split(":")[0] for line in ok("ifconfig").splitlines() if line[0] != "\t"
    ]
    assert names[-2:] == ["epair0a", "epair0b"]
    assert ok("netstat -I epair0b -n --libxo json").count('"<Link#7>"') == 1


def test_jail_lives_while_daemons_run(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    status, output = follow(
        host, jail_argv("c1", command=("/bin/sh", "/etc/rc")), tmp_path / "e.log"
    )
    assert status == 0
    assert output.splitlines() == [
        "Starting syslogd.",
        "Starting cron.",
        "",
        "Mon Jan  1 00:00:00 UTC 2024",
    ]
    assert ok("jls").splitlines()[1].split() == [
        "1",
        "c1",
        "/zroot/kleene/container/c1",
    ]


def test_remove_runs_exec_stop_and_unmounts_devfs(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    follow(host, jail_argv("c1", command=("/bin/sh", "/etc/rc")), tmp_path / "e.log")
    assert "container/c1/dev" in ok("mount --libxo json -t devfs")
    assert ok("jail -r c1") == "Stopping cron.\nStopping syslogd.\n"
    assert ok("jls").count("\n") == 1
    assert "container/c1/dev" not in ok("mount --libxo json -t devfs")


def test_natural_end_leaves_devfs_mounted(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    follow(host, jail_argv("c1", command=("true",)), tmp_path / "e.log")
    assert '"node": "/zroot/kleene/container/c1/dev"' in ok(
        "mount --libxo json -t devfs"
    )
    ok("umount /zroot/kleene/container/c1/dev")


def test_remove_ends_waiting_processes_with_sigterm(
    host: SimulatedHost, ok: Ok, tmp_path: Path
) -> None:
    log = tmp_path / "e.log"
    host.start(jail_argv("c1", "ip4=inherit", command=("sleep", "100")), log=log)
    ok("jail -r c1")
    assert status_path(log).read_text() == "1\n"
    assert log.read_text() == "jail: /usr/bin/env sleep 100: failed\n"


def test_unknown_jail_on_remove_and_modify(run: Run) -> None:
    assert run("jail -r nosuch").output == 'jail: "nosuch" not found\n'
    assert run("jail -m name=nosuch ip4.addr=").output == 'jail: "nosuch" not found\n'


def test_modify_replaces_and_empties_address_lists(ok: Ok) -> None:
    ok("jail -c name=c1 path=/ ip4.addr=10.2.3.1 ip6.addr=fdef::1 persist")
    ok("jail -m name=c1 ip4.addr=10.2.3.1,10.2.3.7 ip6.addr=")
    assert ok("jls -v -j c1").splitlines()[-2:] == [
        "        10.2.3.1",
        "        10.2.3.7",
    ]


def test_name_taken_is_refused(run: Run, ok: Ok) -> None:
    ok("jail -c name=c1 path=/ persist")
    assert run("jail -c name=c1 path=/ persist").status == 1


def test_remove_of_a_vnet_jail_with_daemons(ok: Ok) -> None:
    ok("ifconfig epair create")
    stop = "'exec.stop=/bin/sh /etc/rc.shutdown jail'"
    ok(f"jail -c name=v path=/ vnet vnet.interface=epair0b {stop} persist")
    ok("jexec v sh /etc/rc")
    assert ok("jail -r v") == "Stopping cron.\nStopping syslogd.\n"
    assert ok("ifconfig epair0b").startswith("epair0b:")


def test_the_command_gets_the_processes_stdin(
    host: SimulatedHost, tmp_path: Path
) -> None:
    log = tmp_path / "e.log"
    host.start(jail_argv("c1", command=("cat",)), log=log, stdin=b"typed\n")
    assert log.read_text() == "typed\n"


def test_poststart_runs_on_the_host_after_the_command(
    host: SimulatedHost, tmp_path: Path
) -> None:
    argv = jail_argv("c1", "exec.poststart=hostname", command=("hostname",))
    assert follow(host, argv, tmp_path / "e.log") == (0, "c1\nfreebsd\n")
