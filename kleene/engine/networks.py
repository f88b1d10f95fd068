"""Network operations: create, inspect, remove and prune (SPEC §4.1–§4.8).

A create validates the input (syntax first, then against the store and the
host), stores the network with its address pools in one transaction, then
creates the interface as named steps and loads pf; a failure anywhere undoes
what was done. A remove disconnects, forgets the network, reloads pf and
destroys the interface.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from kleene import ids
from kleene.engine import addressing, validate
from kleene.engine.core import Engine
from kleene.engine.interfaces import create_interface, destroy_interface
from kleene.engine.pfsync import sync_pf
from kleene.engine.reconcile import reconcile
from kleene.engine.steps import Steps
from kleene.errors import Conflict, ValidationError
from kleene.model import AUTO_GATEWAY, HOST_GATEWAY, Network, NetworkType

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NetworkRequest:
    """What the user asked for, after the client-side rules of SPEC §2.4."""

    name: str
    type: NetworkType = NetworkType.LOOPBACK
    interface: str = ""
    subnet: str = ""
    subnet6: str = ""
    gateway: str = ""
    gateway6: str = ""
    nat: str = HOST_GATEWAY
    icc: bool = True
    internal: bool = False


def network_request(
    name: str,
    type: NetworkType,
    *,
    interface: str = "",
    subnet: str = "",
    subnet6: str = "",
    gateway: str = "auto",
    gateway6: str = "auto",
    nat: bool = True,
    nat_if: str | None = None,
    icc: bool = True,
    internal: bool = False,
) -> NetworkRequest:
    """Apply the client-side rules: gateways per type, NAT interface choice."""

    def stored_gateway(value: str) -> str:
        if type is not NetworkType.BRIDGE:
            return ""
        return AUTO_GATEWAY if value == "auto" else value

    return NetworkRequest(
        name=name,
        type=type,
        interface=interface,
        subnet=subnet,
        subnet6=subnet6,
        gateway=stored_gateway(gateway),
        gateway6=stored_gateway(gateway6),
        nat=(nat_if or HOST_GATEWAY) if nat else "",
        icc=icc,
        internal=internal,
    )


def list_rows(engine: Engine) -> list[dict[str, Any]]:
    """Return every network as JSON-shaped rows, sorted by name."""
    return engine.store.network_rows()


def find(engine: Engine, ident: str, not_found: str = "network not found") -> Network:
    """Resolve a network by name, id or unique id prefix."""
    return ids.resolve(engine.store.networks(), ident, "network", not_found)


def inspect(engine: Engine, ident: str) -> dict[str, Any]:
    """Return the inspect document of a network and its endpoints."""
    from kleene.engine.reconcile import running_jails

    network = find(engine, ident)
    running = running_jails(engine)
    endpoints = [
        endpoint
        if endpoint.container_id in running
        else endpoint.model_copy(update={"epair": None})
        for endpoint in engine.store.endpoints(network_id=network.id)
    ]
    return {
        "network": network.to_json_dict(),
        "network_endpoints": [endpoint.to_json_dict() for endpoint in endpoints],
    }


def create(engine: Engine, request: NetworkRequest) -> Network:
    """Create a network: validate, store, change the host, load pf."""
    _check_syntax(request)
    with engine.locked():
        reconcile(engine)
        _check_state(engine, request)
        with Steps(engine.host) as steps:
            network = _store(engine, request, steps)
            create_interface(engine, network, steps)
            sync_pf(engine.config, engine.store, engine.view, steps)
        logger.info(
            "created %s network '%s' on %s",
            network.type,
            network.name,
            network.interface,
        )
        return network


def _check_syntax(request: NetworkRequest) -> None:
    validate.network_name(request.name)
    if request.interface:
        validate.interface_name(request.interface)
    validate.subnet(request.subnet, "subnet", 4)
    validate.subnet(request.subnet6, "subnet6", 6)
    validate.gateway(request.gateway, "gateway", 4)
    validate.gateway(request.gateway6, "gateway6", 6)


def _check_state(engine: Engine, request: NetworkRequest) -> None:
    networks = engine.store.networks()
    if any(network.name == request.name for network in networks):
        raise Conflict("network name is already taken")
    for field, value in (("subnet", request.subnet), ("subnet6", request.subnet6)):
        if value:
            _check_overlap(field, value, networks)
    _check_interface(engine, request, networks)


def _check_overlap(field: str, value: str, networks: list[Network]) -> None:
    block = ipaddress.ip_network(value)
    for network in networks:
        other = getattr(network, field)
        if other and block.overlaps(ipaddress.ip_network(other)):
            raise ValidationError(
                f"invalid {field}: {value} overlaps with network "
                f"'{network.name}' ({other})"
            )


def _check_interface(
    engine: Engine, request: NetworkRequest, networks: list[Network]
) -> None:
    name = request.interface
    if request.type is NetworkType.CUSTOM:
        if not name:
            raise ValidationError(
                "a custom network needs an existing interface (--interface)"
            )
        if name not in engine.view.interfaces():
            raise ValidationError(f"interface '{name}' does not exist")
    for network in networks:
        if name and network.interface == name:
            raise Conflict(
                f"interface '{name}' is already used by network '{network.name}'"
            )
    if request.type is not NetworkType.CUSTOM and name in engine.view.interfaces():
        raise Conflict(
            f"interface '{name}' already exists; use '--type custom' "
            "to build a network on it"
        )


def _resolve_nat(engine: Engine, request: NetworkRequest) -> str:
    if request.nat != HOST_GATEWAY:
        return request.nat
    gateway = engine.view.host_gateway()
    if gateway is None:
        engine.warn(
            f"warning: no host gateway detected; network '{request.name}' "
            "is created without NAT"
        )
        return ""
    return gateway


def _pick_interface(engine: Engine, taken: set[str]) -> str:
    on_host = engine.view.interfaces()
    number = 0
    while f"kleene{number}" in taken or f"kleene{number}" in on_host:
        number += 1
    return f"kleene{number}"


def _store(engine: Engine, request: NetworkRequest, steps: Steps) -> Network:
    """Insert the network and its pools in one transaction; register the undo."""
    nat = _resolve_nat(engine, request)
    store = engine.store
    with store.transaction():
        taken = {network.interface for network in store.networks()}
        network = Network(
            id=ids.new_id(engine.host, store.id_taken),
            name=request.name,
            type=request.type,
            interface=request.interface or _pick_interface(engine, taken),
            subnet=request.subnet,
            subnet6=request.subnet6,
            gateway=request.gateway,
            gateway6=request.gateway6,
            nat=nat,
            icc=request.icc,
            internal=request.internal,
        )
        store.register_id(network.id, "network")
        store.insert_network(network)
        addressing.create_pools(store, network)
    steps.undo_with("forget the network", lambda: _forget(engine, network))
    return network


def _forget(engine: Engine, network: Network) -> None:
    store = engine.store
    with store.transaction():
        for endpoint in store.endpoints(network_id=network.id):
            store.delete_endpoint(endpoint.id)
            store.release_id(endpoint.id)
        addressing.drop_pools(store, network)
        store.delete_network(network.id)
        store.release_id(network.id)


def remove(engine: Engine, ident: str) -> str:
    """Remove one network: disconnect, forget, reload pf, destroy the interface."""
    with engine.locked():
        reconcile(engine)
        network = find(engine, ident, "network not found.")
        with Steps(engine.host) as steps:
            _disconnect_all(engine, network)
            _forget(engine, network)
            steps.undo_with("restore the network", lambda: _restore(engine, network))
            sync_pf(engine.config, engine.store, engine.view, steps)
        destroy_interface(engine, network)
        logger.info("removed network '%s'", network.name)
        return network.id


def prune(engine: Engine) -> list[str]:
    """Remove every network without endpoints; return their ids in name order."""
    with engine.locked():
        reconcile(engine)
        unused = [
            network
            for network in engine.store.networks()
            if not engine.store.endpoints(network_id=network.id)
        ]
        with Steps(engine.host) as steps:
            for network in unused:
                _forget(engine, network)
                steps.undo_with(
                    "restore the network",
                    lambda network=network: _restore(engine, network),  # type: ignore[misc]
                )
            sync_pf(engine.config, engine.store, engine.view, steps)
        for network in unused:
            destroy_interface(engine, network)
            logger.info("pruned network '%s'", network.name)
        return [network.id for network in unused]


def _restore(engine: Engine, network: Network) -> None:
    store = engine.store
    with store.transaction():
        store.register_id(network.id, "network")
        store.insert_network(network)
        addressing.create_pools(store, network)


def _disconnect_all(engine: Engine, network: Network) -> None:
    """Disconnect every container of the network, freeing its addresses."""
    from kleene.engine import endpoints

    containers = {container.id: container for container in engine.store.containers()}
    for endpoint in engine.store.endpoints(network_id=network.id):
        container = containers[endpoint.container_id]
        endpoints.disconnect(engine, container, network, reload_pf=False)
