"""The argv of container starts per driver (plans §9) and their pieces."""

from __future__ import annotations

from kleene import plans
from kleene.engine.drivers import default_routes, mac_pair, network_params
from kleene.engine.listing import human_duration
from kleene.model import Container, Endpoint, Network, NetworkDriver, NetworkType

C = "a1b2c3d4e5f6"


def container(driver: NetworkDriver) -> Container:
    return Container(
        id=C,
        name="c",
        image_id="11370bfb4a88",
        image_name="FreeBSD",
        image_tag="latest",
        cmd=["ifconfig"],
        network_driver=driver,
        created="2024-01-01T00:00:00.000000Z",
        path=f"/zroot/kleene/container/{C}",
    )


BRIDGE = Network(
    id="3f2a9c0d1e7b",
    name="testvnet",
    type=NetworkType.BRIDGE,
    interface="kleene0",
    subnet="10.13.37.0/24",
    subnet6="fdef:1234:5678::/48",
    gateway="<auto>",
    gateway6="<auto>",
)
ENDPOINT = Endpoint(
    id="5e0c7a9b21d4",
    network_id=BRIDGE.id,
    container_id=C,
    ip_address="10.13.37.2",
    ip_address6="fdef:1234:5678::2",
    epair="epair0",
)


def test_vnet_start_argv_matches_the_reference() -> None:
    argv = plans.jail_create(
        name=C,
        path=f"/zroot/kleene/container/{C}",
        network_params=network_params(
            container(NetworkDriver.VNET), [(ENDPOINT, BRIDGE)]
        ),
        user="root",
        jail_params=[],
        env=["VAR=value"],
        command=["ifconfig"],
    )
    assert argv == [
        "/usr/sbin/jail", "-c", f"path=/zroot/kleene/container/{C}", f"name={C}",
        "vnet", "vnet.interface=epair0b",
        "exec.prestart=ifconfig kleene0 addm epair0a",
        "exec.prestart=ifconfig epair0a up",
        "exec.start=ifconfig epair0b inet 10.13.37.2/24",
        "exec.start=ifconfig epair0b inet6 fdef:1234:5678::2/48",
        "exec.start=route add -inet default 10.13.37.1",
        "exec.start=route add -inet6 default fdef:1234:5678::1",
        "mount.devfs=true", "exec.stop=/bin/sh /etc/rc.shutdown jail",
        "exec.clean=true", "exec.jail_user=root", f"host.hostname={C}",
        "command=/usr/bin/env", "VAR=value", "ifconfig",
    ]  # fmt: skip


def test_stable_macs_come_from_the_endpoint_id() -> None:
    assert mac_pair("5e0c7a9b21d4") == ("02:4d:3b:cb:a0:0a", "02:4d:3b:cb:a0:0b")


def test_ipnet_gets_one_list_per_family() -> None:
    loop = BRIDGE.model_copy(update={"type": NetworkType.LOOPBACK, "gateway": ""})
    other = ENDPOINT.model_copy(update={"ip_address": "10.20.30.5", "ip_address6": ""})
    params = network_params(
        container(NetworkDriver.IPNET), [(ENDPOINT, loop), (other, loop)]
    )
    assert params == ["ip4.addr=10.13.37.2,10.20.30.5", "ip6.addr=fdef:1234:5678::2"]


def test_host_and_disabled_parameters() -> None:
    assert network_params(container(NetworkDriver.HOST), []) == [
        "ip4=inherit",
        "ip6=inherit",
    ]
    assert network_params(container(NetworkDriver.DISABLED), []) == [
        "ip4=disable",
        "ip6=disable",
    ]


def test_one_default_route_per_family_from_the_first_network() -> None:
    second = BRIDGE.model_copy(update={"id": "b" * 12, "subnet": "10.9.0.0/24"})
    other = ENDPOINT.model_copy(update={"ip_address": "10.9.0.2", "epair": "epair1"})
    routes = default_routes([(ENDPOINT, BRIDGE), (other, second)])
    assert routes == [
        "exec.start=route add -inet default 10.13.37.1",
        "exec.start=route add -inet6 default fdef:1234:5678::1",
    ]


def test_manual_gateway_is_the_default_route() -> None:
    manual = BRIDGE.model_copy(update={"gateway": "10.13.37.99", "gateway6": ""})
    assert default_routes([(ENDPOINT, manual)]) == [
        "exec.start=route add -inet default 10.13.37.99"
    ]


def test_user_parameters_replace_defaults_by_name() -> None:
    argv = plans.jail_create(
        name=C,
        path="/p",
        network_params=[],
        user="root",
        jail_params=["mount.devfs=false", "exec.jail_user=www", "allow.raw_sockets"],
        env=[],
        command=["sh"],
    )
    assert "mount.devfs=true" not in argv
    assert "exec.jail_user=root" not in argv
    assert argv[-5:] == [
        "mount.devfs=false",
        "exec.jail_user=www",
        "allow.raw_sockets",
        "command=/usr/bin/env",
        "sh",
    ]


def test_human_durations() -> None:
    cases = {0.5: "Less than a second", 1: "1 second", 6: "6 seconds",
             60: "About a minute", 150: "2 minutes", 3600: "About an hour",
             27 * 3600: "27 hours", 49 * 3600: "2 days", 400 * 3600: "2 weeks",
             2000 * 3600: "2 months", 20000 * 3600: "2 years"}  # fmt: skip
    for seconds, text in cases.items():
        assert human_duration(seconds) == text, seconds
