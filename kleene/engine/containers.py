"""Container records: create, find, list, inspect, remove (SPEC §4.10).

Creating validates the name, image, driver and published ports, prepares the
jail root (a ZFS clone of the image snapshot) and stores the container.
Removing disconnects every network, destroys the jail root and forgets it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from kleene import ids, plans, ports
from kleene.config import ImageConfig
from kleene.engine import endpoints, networks
from kleene.engine.core import Engine
from kleene.engine.pfsync import sync_pf
from kleene.engine.reconcile import reconcile
from kleene.engine.steps import Steps
from kleene.errors import Conflict, NotFound, ValidationError
from kleene.images import catalogue, find_image
from kleene.model import Container, NetworkDriver, PublishedPort
from kleene.names import generate_name

logger = logging.getLogger(__name__)

CONTAINER_NAME = re.compile(r"/?[a-zA-Z0-9][a-zA-Z0-9_.-]+")


@dataclass(frozen=True)
class ContainerRequest:
    """What ``klee create`` / ``klee run`` asked for."""

    image: str
    command: list[str] = field(default_factory=list)
    name: str | None = None
    driver: NetworkDriver = NetworkDriver.HOST
    publish: list[ports.PortSpec] = field(default_factory=list)
    jail_params: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)
    user: str | None = None


def timestamp(engine: Engine) -> str:
    """Return the host's time as SPEC §1.3 writes it."""
    return engine.host.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def find(
    engine: Engine, ident: str, not_found: str = "container not found"
) -> Container:
    """Resolve a container by name, id or unique id prefix."""
    return ids.resolve(engine.store.containers(), ident, "container", not_found)


def create(engine: Engine, request: ContainerRequest) -> Container:
    """Validate, prepare the jail root and store a new container."""
    with engine.locked():
        reconcile(engine)
        try:
            image = find_image(engine.config, request.image)
        except NotFound as exc:
            raise NotFound(f"could not create container: {exc}") from None
        name = _check_name(engine, request.name)
        public_ports = _published(engine, request, name)
        with Steps(engine.host) as steps, engine.store.transaction():
            container_id = ids.new_id(engine.host, engine.store.id_taken)
            path = _prepare_root(engine, image, container_id, steps)
            container = Container(
                id=container_id,
                name=name,
                image_id=image.id,
                image_name=image.name,
                image_tag=image.tag,
                cmd=request.command or list(image.cmd),
                env=list(request.env),
                user=request.user or image.user,
                jail_param=list(request.jail_params),
                network_driver=request.driver,
                public_ports=public_ports,
                created=timestamp(engine),
                path=path,
            )
            engine.store.register_id(container.id, "container")
            engine.store.insert_container(container)
        logger.info("created container %s (%s)", container.name, container.id)
        return container


def _check_name(engine: Engine, requested: str | None) -> str:
    taken = {container.name for container in engine.store.containers()}
    if requested is None:
        return generate_name(engine.host, taken.__contains__)
    if not CONTAINER_NAME.fullmatch(requested):
        raise ValidationError(
            f"could not create container: {requested} does not match "
            "/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$"
        )
    if requested in taken:
        raise Conflict("could not create container: container name is already taken")
    return requested


def _published(
    engine: Engine, request: ContainerRequest, name: str
) -> list[PublishedPort]:
    if request.publish and request.driver in (
        NetworkDriver.HOST,
        NetworkDriver.DISABLED,
    ):
        raise ValidationError(
            "could not create container: cannot publish ports of a container "
            f"using the '{request.driver}' network driver"
        )
    result = []
    for spec in request.publish:
        try:
            ports.validate_port_numbers(spec)
        except ValidationError as exc:
            raise ValidationError(f"could not create container: {exc}") from None
        interfaces = list(spec.interfaces)
        if not interfaces:
            gateway = engine.view.host_gateway()
            if gateway is None:
                engine.warn(
                    "warning: no host gateway detected; published ports of "
                    f"container '{name}' get no redirect rules"
                )
            else:
                interfaces = [gateway]
        result.append(
            PublishedPort.model_validate(
                {
                    "interfaces": interfaces,
                    "host_port": spec.host_port,
                    "container_port": spec.container_port,
                    "protocol": spec.protocol,
                }
            )
        )
    return result


def _prepare_root(
    engine: Engine, image: ImageConfig, container_id: str, steps: Steps
) -> str:
    if image.path is not None:
        return image.path
    if image.snapshot is None:
        raise ValidationError(f"image '{image.name}' has neither a snapshot nor a path")
    dataset = f"{engine.config.zfs_root}/container/{container_id}"
    steps.run(
        f"clone {image.snapshot}",
        plans.zfs_clone(image.snapshot, dataset),
        undo=plans.zfs_destroy(dataset),
    )
    path = steps.run("read the jail path", plans.zfs_mountpoint(dataset)).output.strip()
    if not path or path == "none":
        raise ValidationError(f"dataset {dataset} has no mountpoint")
    return path


def remove(engine: Engine, ident: str, *, force: bool = False) -> str:
    """Remove a stopped container (``force``: stop it first)."""
    from kleene.engine import lifecycle

    with engine.locked():
        reconcile(engine)
        container = find(engine, ident, "no such container")
        if container.running:
            if not force:
                raise Conflict("you cannot remove a running container")
            container = lifecycle.stop_container(engine, container)
        for endpoint in engine.store.endpoints(container_id=container.id):
            endpoints.delete(engine, endpoint)
        _remove_root(engine, container)
        with engine.store.transaction():
            engine.store.delete_container(container.id)
            engine.store.release_id(container.id)
        with Steps(engine.host) as steps:
            sync_pf(engine.config, engine.store, engine.view, steps, teardown=True)
        logger.info("removed container %s", container.name)
        return container.id


def _remove_root(engine: Engine, container: Container) -> None:
    """Destroy the container's dataset, unless its image is a plain directory."""
    images = [i for i in catalogue(engine.config) if i.id == container.image_id]
    if images and images[0].path is not None:
        return
    dataset = f"{engine.config.zfs_root}/container/{container.id}"
    result = engine.host.run(plans.zfs_destroy(dataset))
    if not result.ok:
        logger.warning("could not destroy %s: %s", dataset, result.output.strip())


def connect(engine: Engine, network_ident: str, container_ident: str,
            ip: str | None = None, ip6: str | None = None) -> None:  # fmt: skip
    """Connect a container to a network, taking the lock."""
    with engine.locked():
        reconcile(engine)
        container = find(engine, container_ident)
        network = networks.find(engine, network_ident)
        endpoints.connect(engine, container, network, ip, ip6)


def disconnect(engine: Engine, network_ident: str, container_ident: str) -> None:
    """Disconnect a container from a network, taking the lock."""
    with engine.locked():
        reconcile(engine)
        container = find(engine, container_ident)
        network = networks.find(engine, network_ident)
        endpoints.disconnect(engine, container, network)
