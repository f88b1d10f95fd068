"""Address pools of networks and the allocation of endpoint addresses.

Each network subnet has one pool in the store, named ``<network id>/4`` or
``<network id>/6``, covering the allocatable range of SPEC §4.9. The gateway
is reserved in the pool when the network is created, endpoint addresses are
allocated or reserved when an endpoint is made, and released with it.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene import ipam
from kleene.errors import (
    AddressUnavailable,
    NotFound,
    PoolExhausted,
    ValidationError,
)
from kleene.model import AUTO_GATEWAY, Network
from kleene.store import Store
from kleene.store.ranges import SqliteRanges

logger = logging.getLogger(__name__)


def pool_id(network: Network, version: int) -> str:
    """Return the pool name of a network's subnet of one family."""
    return f"{network.id}/{version}"


def subnet_of(network: Network, version: int) -> str:
    """Return the network's subnet of one family ("" when unset)."""
    return network.subnet if version == 4 else network.subnet6


def gateway_address(network: Network, version: int) -> str | None:
    """Return the gateway address of one family, or None when there is none."""
    cidr = subnet_of(network, version)
    value = network.gateway if version == 4 else network.gateway6
    if value == "":
        return None
    if value != AUTO_GATEWAY:
        return value
    if not cidr:
        return None
    block = ipaddress.ip_network(cidr)
    if block.prefixlen >= block.max_prefixlen:
        return None
    return str(block.network_address + 1)


def create_pools(store: Store, network: Network) -> None:
    """Create the network's pools and reserve its gateways in them."""
    ranges = SqliteRanges(store.conn)
    for version in (4, 6):
        cidr = subnet_of(network, version)
        bounds = ipam.pool_bounds(cidr) if cidr else None
        if bounds is None:
            continue
        ipam.create_pool(ranges, pool_id(network, version), *bounds)
        gateway = gateway_address(network, version)
        if gateway is not None:
            number = int(ipaddress.ip_address(gateway))
            if bounds[0] <= number <= bounds[1]:
                ipam.reserve(ranges, pool_id(network, version), number)


def drop_pools(store: Store, network: Network) -> None:
    """Drop the network's pools."""
    ranges = SqliteRanges(store.conn)
    for version in (4, 6):
        if ranges.bounds(pool_id(network, version)) is not None:
            ipam.drop_pool(ranges, pool_id(network, version))


def allocate(store: Store, network: Network, version: int, skip: set[int]) -> str:
    """Allocate the lowest free address of one family on a network."""
    family = "inet" if version == 4 else "inet6"
    ranges = SqliteRanges(store.conn)
    if ranges.bounds(pool_id(network, version)) is None:
        raise PoolExhausted(f"no more {family} IP's left in the network")
    try:
        number = ipam.allocate(ranges, pool_id(network, version), skip)
    except PoolExhausted:
        raise PoolExhausted(f"no more {family} IP's left in the network") from None
    return str(ipaddress.ip_address(number))


def reserve(
    store: Store,
    network: Network,
    requested: str,
    version: int,
    *,
    holder: str | None,
    on_interface: set[str],
) -> str:
    """Validate a requested address (SPEC §4.9 order) and reserve it."""
    family = "inet" if version == 4 else "inet6"
    cidr = subnet_of(network, version)
    if not cidr:
        label = "IPv4" if version == 4 else "IPv6"
        raise ValidationError(
            "cannot set ip address because there is no "
            f"{label} subnet defined for this network"
        )
    try:
        address = ipaddress.ip_address(requested)
        if address.version != version:
            raise ValueError(requested)
    except ValueError:
        raise ValidationError(
            f"could not parse {family} address {requested}: einval"
        ) from None
    block = ipaddress.ip_network(cidr)
    text = str(address)
    _check_placement(network, block, address, requested)
    if holder is not None:
        raise AddressUnavailable(
            f"address {requested} is already in use by container '{holder}' "
            f"on network '{network.name}'"
        )
    if text in on_interface:
        raise AddressUnavailable(
            f"address {requested} is already in use on interface {network.interface}"
        )
    ranges = SqliteRanges(store.conn)
    pool = pool_id(network, version)
    if ranges.bounds(pool) is not None and ipam.is_free(ranges, pool, int(address)):
        ipam.reserve(ranges, pool, int(address))
    return text


def _check_placement(
    network: Network,
    block: ipaddress.IPv4Network | ipaddress.IPv6Network,
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
    requested: str,
) -> None:
    if address not in block:
        raise ValidationError(
            f"address {requested} is outside the subnet {block} "
            f"of network '{network.name}'"
        )
    if address == block.network_address and block.prefixlen < block.max_prefixlen:
        raise ValidationError(
            f"address {requested} is the network address of subnet {block}"
        )
    if (
        address.version == 4
        and block.prefixlen <= 30
        and address == block.broadcast_address
    ):
        raise ValidationError(
            f"address {requested} is the broadcast address of subnet {block}"
        )
    if str(address) == gateway_address(network, address.version):
        raise ValidationError(
            f"address {requested} is the gateway of network '{network.name}'"
        )


def release(store: Store, network: Network, address: str) -> None:
    """Return an endpoint address to its network's pool."""
    if not address:
        return
    version = ipaddress.ip_address(address).version
    ranges = SqliteRanges(store.conn)
    pool = pool_id(network, version)
    if ranges.bounds(pool) is not None:
        ipam.release(ranges, pool, int(ipaddress.ip_address(address)))


def lookup_network(store: Store, network_id: str) -> Network:
    """Return the network with an id."""
    for network in store.networks():
        if network.id == network_id:
            return network
    raise NotFound("network not found")
