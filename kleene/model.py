"""The domain model: networks, endpoints, containers and published ports.

Field names and JSON shapes are those of SPEC §1.3 and §3.5, so ``inspect``
output is byte-compatible with Kleene's. Strings that are ``""`` mean "unset";
the gateway sentinel ``AUTO_GATEWAY`` and the NAT sentinel ``HOST_GATEWAY``
exist only at the CLI and JSON edges and are interpreted by the properties below.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

AUTO_GATEWAY = "<auto>"
HOST_GATEWAY = "<host-gateway>"


class NetworkType(StrEnum):
    LOOPBACK = "loopback"
    BRIDGE = "bridge"
    CUSTOM = "custom"


class NetworkDriver(StrEnum):
    HOST = "host"
    IPNET = "ipnet"
    VNET = "vnet"
    DISABLED = "disabled"


class Protocol(StrEnum):
    TCP = "tcp"
    UDP = "udp"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def to_json_dict(self) -> dict[str, Any]:
        """Return the JSON object of this record, as inspect prints it."""
        return self.model_dump(mode="json")


class Network(_Record):
    """A named network backed by one host interface."""

    id: str
    name: str
    type: NetworkType
    interface: str
    subnet: str = ""
    subnet6: str = ""
    gateway: str = ""
    gateway6: str = ""
    nat: str = ""
    icc: bool = True
    internal: bool = False


class Endpoint(_Record):
    """The connection of one container to one network."""

    id: str
    network_id: str
    container_id: str
    ip_address: str = ""
    ip_address6: str = ""
    epair: str | None = None
    mac_address: str | None = None


class PublishedPort(_Record):
    """A port of a container redirected from host interfaces."""

    interfaces: list[str]
    host_port: str
    container_port: str
    protocol: Protocol = Protocol.TCP
    ip_address: str = ""
    ip_address6: str = ""


class Container(_Record):
    """A jail with its image, command, driver and published ports."""

    id: str
    name: str
    image_id: str
    image_name: str
    image_tag: str
    cmd: list[str]
    env: list[str] = []
    user: str = "root"
    jail_param: list[str] = []
    network_driver: NetworkDriver
    public_ports: list[PublishedPort] = []
    created: str
    path: str
    running: bool = False
    jid: int | None = None
