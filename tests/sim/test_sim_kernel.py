"""The simulated kernel's pieces, called directly on a fresh world."""

from __future__ import annotations

import ipaddress

import pytest

from kleene.backends.sim.kernel import (
    addresses,
    bridge,
    entropy,
    files,
    interfaces,
    modules,
    routes,
    sysctl,
)
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.profiles import fresh_world
from kleene.backends.sim.world import IfKind, World


@pytest.fixture
def world() -> World:
    return fresh_world(0, "default")


def test_fresh_world_indexes_and_next_index(world: World) -> None:
    indexes = [(i.name, i.index) for i in world.host.interfaces]
    assert indexes == [("em0", 1), ("lo0", 3), ("pflog0", 4)]
    assert world.host.next_index == 5


def test_two_nic_profile_adds_em1_at_index_2() -> None:
    world = fresh_world(0, "two-nic")
    assert [(i.name, i.index) for i in world.host.interfaces][:2] == [
        ("em0", 1),
        ("em1", 2),
    ]
    assert world.host.next_index == 5


def test_world_round_trips_through_its_dict(world: World) -> None:
    host = world.host
    kleene0 = interfaces.create_clone(world, host, "bridge", None)
    addresses.add(kleene0, ipaddress.ip_interface("fdef::1/48"))
    interfaces.create_clone(world, host, "epair", None)
    bridge.add_member(host, kleene0, "epair0a")

    again = World.from_dict(world.to_dict())

    assert again == world
    assert again.to_dict() == world.to_dict()


def test_epair_ends_are_peers_with_consecutive_indexes(world: World) -> None:
    end_a = interfaces.create_clone(world, world.host, "epair", None)
    end_b = interfaces.find(world.host, "epair0b")
    assert end_b is not None
    assert (end_a.peer, end_b.peer) == (end_b.uid, end_a.uid)
    assert (end_a.index, end_b.index) == (5, 6)


def test_explicit_unit_in_use_is_eexist(world: World) -> None:
    interfaces.create_clone(world, world.host, "lo", 4)
    with pytest.raises(KernelError) as raised:
        interfaces.create_clone(world, world.host, "lo", 4)
    assert raised.value.errno is Errno.EEXIST


def test_renamed_clone_keeps_its_unit(world: World) -> None:
    lo1 = interfaces.create_clone(world, world.host, "lo", None)
    interfaces.rename(world.host, lo1, "kleene0")
    assert interfaces.create_clone(world, world.host, "lo", None).name == "lo2"


def test_rename_checks_length(world: World) -> None:
    lo1 = interfaces.create_clone(world, world.host, "lo", None)
    with pytest.raises(KernelError) as raised:
        interfaces.rename(world.host, lo1, "averyveryverylongname")
    assert raised.value.errno is Errno.ENAMETOOLONG


def test_flags_follow_state_and_membership(world: World) -> None:
    host = world.host
    kleene0 = interfaces.create_clone(world, host, "bridge", None)
    epair0a = interfaces.create_clone(world, host, "epair", None)
    assert (interfaces.flags(host, kleene0), interfaces.flags(host, epair0a)) == (
        0x8802,
        0x8862,
    )
    interfaces.set_up(kleene0, True)
    bridge.add_member(host, kleene0, "epair0a")
    assert (interfaces.flags(host, kleene0), interfaces.flags(host, epair0a)) == (
        0x8843,
        0x8962,
    )


def test_bridge_refuses_a_member_of_another_bridge_and_a_loopback(
    world: World,
) -> None:
    host = world.host
    first = interfaces.create_clone(world, host, "bridge", None)
    second = interfaces.create_clone(world, host, "bridge", None)
    interfaces.create_clone(world, host, "epair", None)
    bridge.add_member(host, first, "epair0a")
    for target, name, errno in (
        (second, "epair0a", Errno.EBUSY),
        (second, "lo0", Errno.EINVAL),
        (second, "bridge0", Errno.EINVAL),
    ):
        with pytest.raises(KernelError) as raised:
            bridge.add_member(host, target, name)
        assert raised.value.errno is errno


def test_readding_an_address_updates_its_prefix_in_place(world: World) -> None:
    em0 = interfaces.find(world.host, "em0")
    assert em0 is not None
    addresses.add(em0, ipaddress.ip_interface("10.0.2.15/16"))
    assert em0.addresses == [ipaddress.ip_interface("10.0.2.15/16")]


def test_routing_lookup_is_longest_prefix(world: World) -> None:
    host = world.host
    em0 = interfaces.find(host, "em0")
    assert em0 is not None
    assert routes.lookup(host, ipaddress.ip_address("1.1.1.1")) is not None
    local = routes.lookup(host, ipaddress.ip_address("10.0.2.15"))
    connected = routes.lookup(host, ipaddress.ip_address("10.0.2.3"))
    assert local is not None and connected is not None
    assert (local.flags, local.netif.name) == ("UHS", "lo0")
    assert (connected.flags, connected.netif.name) == ("U", "em0")


def test_connected_interface_of_a_scoped_link_local_gateway(world: World) -> None:
    gateway = ipaddress.ip_address("fe80::1%em0")
    found = routes.connected_interface(world.host, gateway)
    assert found is not None and found.name == "em0"
    assert (
        routes.connected_interface(world.host, ipaddress.ip_address("fe80::1")) is None
    )


def test_destroyed_interface_takes_its_static_routes(world: World) -> None:
    host = world.host
    kleene0 = interfaces.create_clone(world, host, "bridge", None)
    addresses.add(kleene0, ipaddress.ip_interface("10.9.0.1/24"))
    routes.add_static(
        host, ipaddress.ip_network("10.8.0.0/16"), ipaddress.ip_address("10.9.0.2")
    )
    interfaces.destroy(world, host, kleene0)
    assert [str(r.destination) for r in host.routes] == ["0.0.0.0/0"]


def test_sysctl_of_a_module_needs_the_module(world: World) -> None:
    with pytest.raises(KernelError):
        sysctl.get(world, world.host, "net.link.bridge.pfil_member")
    modules.load(world, "if_bridge")
    assert sysctl.get(world, world.host, "net.link.bridge.pfil_member") == 1
    assert modules.is_loaded(world, "bridgestp")


def test_entropy_streams_are_independent_and_replayable(world: World) -> None:
    other = fresh_world(0, "default")
    entropy.draw(world, "host", 100)
    assert entropy.draw(world, "mac", 8) == entropy.draw(other, "mac", 8)
    assert world.entropy["host"] == 4


def test_files_normalise_paths(world: World) -> None:
    files.write(world, "etc//pf.conf", "x")
    assert files.read(world, "/etc/pf.conf") == "x"
    files.remove(world, "/etc/./pf.conf")
    assert files.read(world, "/etc/pf.conf") is None


def test_kinds_of_the_default_profile(world: World) -> None:
    assert [i.kind for i in world.host.interfaces] == [
        IfKind.ETHERNET,
        IfKind.LOOPBACK,
        IfKind.PFLOG,
    ]
