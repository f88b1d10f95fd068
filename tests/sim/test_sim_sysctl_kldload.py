"""sysctl and kldload on the simulated host."""

from __future__ import annotations

from tests.sim.simhost import Ok, Run


def test_sysctl_prints_name_and_value(ok: Ok) -> None:
    assert ok("sysctl net.inet.ip.forwarding net.inet6.ip6.forwarding") == (
        "net.inet.ip.forwarding: 0\nnet.inet6.ip6.forwarding: 0\n"
    )


def test_sysctl_n_prints_only_the_value(ok: Ok) -> None:
    assert ok("/sbin/sysctl -n net.inet.ip.forwarding") == "0\n"


def test_sysctl_set_prints_old_and_new(ok: Ok) -> None:
    assert ok("sysctl net.inet.ip.forwarding=1") == "net.inet.ip.forwarding: 0 -> 1\n"
    assert ok("sysctl -n net.inet.ip.forwarding") == "1\n"


def test_sysctl_unknown_oid(run: Run) -> None:
    result = run("sysctl net.inet.ip.nonesuch")
    assert (result.status, result.output) == (
        1,
        "sysctl: unknown oid 'net.inet.ip.nonesuch'\n",
    )


def test_sysctl_goes_on_after_an_unknown_oid(run: Run) -> None:
    result = run("sysctl foo net.inet.ip.forwarding")
    assert result.status == 1
    assert result.output == "sysctl: unknown oid 'foo'\nnet.inet.ip.forwarding: 0\n"


def test_sysctl_rejects_a_non_integer_and_a_read_only_oid(run: Run) -> None:
    assert run("sysctl net.inet.ip.forwarding=yes").output == (
        "sysctl: invalid integer 'yes'\n"
    )
    assert run("sysctl kern.ostype=Linux").output == (
        "sysctl: oid 'kern.ostype' is read only\n"
    )


def test_pfil_bridge_exists_once_if_bridge_is_loaded(ok: Ok, run: Run) -> None:
    unknown = run("sysctl -n net.link.bridge.pfil_bridge")
    assert unknown.output == "sysctl: unknown oid 'net.link.bridge.pfil_bridge'\n"

    assert ok("/sbin/kldload -n if_bridge") == ""
    assert ok("sysctl -n net.link.bridge.pfil_bridge") == "0\n"
    assert ok("sysctl net.link.bridge.pfil_bridge=1") == (
        "net.link.bridge.pfil_bridge: 0 -> 1\n"
    )


def test_kldload_n_of_a_loaded_module_is_silent(ok: Ok) -> None:
    assert ok("kldload -n pf") == ""
    assert ok("kldload -n pflog") == ""


def test_kldload_of_a_loaded_module_fails(run: Run) -> None:
    result = run("kldload pf")
    assert (result.status, result.output) == (
        1,
        "kldload: can't load pf: module already loaded or in kernel\n",
    )


def test_kldload_of_an_unknown_module_fails(run: Run) -> None:
    result = run("kldload if_nonesuch")
    assert (result.status, result.output) == (
        1,
        "kldload: can't load if_nonesuch: No such file or directory\n",
    )


def test_kldload_loads_once(ok: Ok, run: Run) -> None:
    assert ok("kldload if_epair") == ""
    assert run("kldload if_epair").status == 1


def test_creating_an_epair_loads_if_epair(ok: Ok, run: Run) -> None:
    ok("ifconfig epair create")
    assert run("kldload if_epair").status == 1


def test_kldload_unsupported_option_prints_usage(run: Run) -> None:
    result = run("kldload -z pf")
    assert (result.status, result.output) == (64, "usage: kldload [-nqv] file ...\n")
