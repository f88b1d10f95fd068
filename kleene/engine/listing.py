"""Read-only views of containers: ``container ls`` and ``inspect`` (SPEC §3.9).

Read-only commands apply reconciliation steps 1 and 2 in memory only
(SPEC §4.15): a container whose jail is gone shows as stopped, a jail named
after a stopped container shows it running, without writing anything.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kleene.cli.output import format_table
from kleene.engine.core import Engine
from kleene.engine.reconcile import running_jails
from kleene.model import Container, Endpoint
from kleene.pf import bind_ports

COMMAND_WIDTH = 40
HEADERS = [
    "CONTAINER ID",
    "NAME",
    "IMAGE",
    "COMMAND",
    "CREATED",
    "AUTORUN",
    "STATUS",
    "JID",
]


def observed(engine: Engine) -> list[Container]:
    """Return the containers as the host shows them now (nothing is written)."""
    jails = running_jails(engine)
    result = []
    for container in engine.store.containers():
        jid = jails.get(container.id)
        result.append(
            container.model_copy(update={"running": jid is not None, "jid": jid})
        )
    return result


def _observed_endpoints(engine: Engine, container: Container) -> list[Endpoint]:
    endpoints = engine.store.endpoints(container_id=container.id)
    if container.running:
        return endpoints
    return [endpoint.model_copy(update={"epair": None}) for endpoint in endpoints]


def human_duration(seconds: float) -> str:
    """Say how long ago something happened, as SPEC §3.10 does."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    m = s // 60
    if m == 1:
        return "About a minute"
    if m < 60:
        return f"{m} minutes"
    h = int(m / 60 + 0.5)
    if h == 1:
        return "About an hour"
    steps = ((48, 1, "hours"), (336, 24, "days"), (1440, 168, "weeks"))
    for limit, divisor, unit in (*steps, (17520, 720, "months")):
        if h < limit:
            return f"{h // divisor} {unit}"
    return f"{h // 8760} years"


def _command(words: list[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= COMMAND_WIDTH else text[: COMMAND_WIDTH - 1] + "…"


def container_rows(engine: Engine, *, include_stopped: bool) -> list[dict[str, Any]]:
    """Return the rows of ``container ls``, newest first."""
    now = engine.host.now()
    containers = list(reversed(observed(engine)))  # newest first, later ties first
    rows = []
    for container in containers:
        if not container.running and not include_stopped:
            continue
        created = datetime.strptime(container.created, "%Y-%m-%dT%H:%M:%S.%fZ")
        age = (now.replace(tzinfo=None) - created).total_seconds()
        rows.append(
            {
                "command": " ".join(container.cmd),
                "created": container.created,
                "id": container.id,
                "image": f"{container.image_name}:{container.image_tag}",
                "jid": container.jid,
                "name": container.name,
                "network_driver": container.network_driver.value,
                "running": container.running,
                "_age": human_duration(age) + " ago",
                "_cmd": _command(container.cmd),
            }
        )
    return rows


def container_table(rows: list[dict[str, Any]]) -> str:
    """Lay out container rows as the ``container ls`` table."""
    cells = [
        [
            row["id"],
            row["name"],
            row["image"],
            row["_cmd"],
            row["_age"],
            "no",
            "running" if row["running"] else "stopped",
            "" if row["jid"] is None else str(row["jid"]),
        ]
        for row in rows
    ]
    return format_table(
        HEADERS, cells, centered=["AUTORUN"], min_widths={"CONTAINER ID": 13}
    )


def inspect(engine: Engine, ident: str) -> dict[str, Any]:
    """Return the inspect document of a container, as the host shows it now."""
    from kleene import ids

    container = ids.resolve(observed(engine), ident, "container", "container not found")
    attached = _observed_endpoints(engine, container)
    document = container.model_copy(
        update={"public_ports": bind_ports(container, attached)}
    ).to_json_dict()
    return {
        "container": document,
        "container_endpoints": [endpoint.to_json_dict() for endpoint in attached],
        "container_mountpoints": [],
    }
