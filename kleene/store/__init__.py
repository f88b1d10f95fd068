"""The engine's state: one SQLite file in the state directory.

Tables: ``networks``, ``containers``, ``endpoints`` (connect order is the
``seq`` column), ``object_ids`` (every id ever handed out and still in use,
so ids are unique across kinds), the free-range tables of address pools
(``kleene.store.ranges``) and ``meta`` (the last pf text loaded).

The schema has a version (``PRAGMA user_version``) and a list of migrations
applied in order from the first release on. Every change that allocates or
frees something runs inside ``Store.transaction()``, one ``BEGIN IMMEDIATE``
transaction, so concurrent klee processes never hand out the same address,
id or interface name.

pydantic models are imported inside the methods that build them, so that
``klee network ls`` can read rows without paying for pydantic at start-up.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kleene.errors import StateError

if TYPE_CHECKING:
    from kleene.model import Container, Endpoint, Network

logger = logging.getLogger(__name__)

DB_NAME = "kleene.db"

NETWORK_COLUMNS = (
    "id, name, type, interface, subnet, subnet6, gateway, gateway6, nat, icc, internal"
)
ENDPOINT_COLUMNS = (
    "id, network_id, container_id, ip_address, ip_address6, epair, mac_address"
)


def _migration_1(conn: sqlite3.Connection) -> None:
    from kleene.store.ranges import RANGES_SCHEMA

    _execute_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE object_ids (id TEXT PRIMARY KEY, kind TEXT NOT NULL);
        CREATE TABLE networks (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            interface TEXT NOT NULL UNIQUE,
            subnet TEXT NOT NULL,
            subnet6 TEXT NOT NULL,
            gateway TEXT NOT NULL,
            gateway6 TEXT NOT NULL,
            nat TEXT NOT NULL,
            icc INTEGER NOT NULL,
            internal INTEGER NOT NULL
        );
        CREATE TABLE containers (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            running INTEGER NOT NULL DEFAULT 0,
            jid INTEGER,
            data TEXT NOT NULL
        );
        CREATE TABLE endpoints (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            network_id TEXT NOT NULL REFERENCES networks(id),
            container_id TEXT NOT NULL REFERENCES containers(id),
            ip_address TEXT NOT NULL,
            ip_address6 TEXT NOT NULL,
            epair TEXT,
            mac_address TEXT,
            UNIQUE (network_id, container_id)
        );
        CREATE INDEX endpoints_by_container ON endpoints (container_id);
        CREATE TABLE execs (
            id TEXT PRIMARY KEY,
            container_id TEXT NOT NULL,
            cmd TEXT NOT NULL,
            created TEXT NOT NULL
        );
        """,
    )
    _execute_script(conn, RANGES_SCHEMA)


def _execute_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated DDL inside the open transaction (executescript commits)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS = (_migration_1,)
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """The SQLite store of one state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / DB_NAME
        state_dir.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            self.path, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._in_transaction = False
        self._migrate()

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StateError(
                f"state database {self.path} has schema version {version}, newer "
                f"than this klee understands ({SCHEMA_VERSION}); upgrade kleene"
            )
        self.conn.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as conn:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(current, SCHEMA_VERSION):
                logger.info("migrating the store to schema version %d", number + 1)
                MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one BEGIN IMMEDIATE transaction (nested: joined)."""
        if self._in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_transaction = False

    # meta

    def get_meta(self, key: str) -> str | None:
        """Return a meta value, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,))
        found = row.fetchone()
        return None if found is None else str(found[0])

    def set_meta(self, key: str, value: str | None) -> None:
        """Set or (with None) delete a meta value."""
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ids

    def id_taken(self, object_id: str) -> bool:
        """Tell whether an id is in use by any object."""
        row = self.conn.execute("SELECT 1 FROM object_ids WHERE id = ?", (object_id,))
        return row.fetchone() is not None

    def register_id(self, object_id: str, kind: str) -> None:
        """Record a newly drawn id."""
        self.conn.execute(
            "INSERT INTO object_ids (id, kind) VALUES (?, ?)", (object_id, kind)
        )

    def release_id(self, object_id: str) -> None:
        """Forget an id whose object is gone."""
        self.conn.execute("DELETE FROM object_ids WHERE id = ?", (object_id,))

    # networks

    def network_rows(self) -> list[dict[str, Any]]:
        """Return every network as a JSON-shaped dict, sorted by name."""
        rows = self.conn.execute(
            f"SELECT {NETWORK_COLUMNS} FROM networks ORDER BY name"
        ).fetchall()
        return [_network_dict(row) for row in rows]

    def networks(self) -> list[Network]:
        """Return every network, sorted by name."""
        from kleene.model import Network

        return [Network.model_validate(row) for row in self.network_rows()]

    def insert_network(self, network: Network) -> None:
        """Insert a new network row."""
        self.conn.execute(
            f"INSERT INTO networks ({NETWORK_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                network.id,
                network.name,
                network.type.value,
                network.interface,
                network.subnet,
                network.subnet6,
                network.gateway,
                network.gateway6,
                network.nat,
                int(network.icc),
                int(network.internal),
            ),
        )

    def delete_network(self, network_id: str) -> None:
        """Delete a network row (its endpoints must be gone)."""
        self.conn.execute("DELETE FROM networks WHERE id = ?", (network_id,))

    # endpoints

    def endpoints(
        self, *, network_id: str | None = None, container_id: str | None = None
    ) -> list[Endpoint]:
        """Return endpoints in connect order, filtered by network or container."""
        from kleene.model import Endpoint

        query = f"SELECT {ENDPOINT_COLUMNS} FROM endpoints"
        clauses, args = [], []
        if network_id is not None:
            clauses.append("network_id = ?")
            args.append(network_id)
        if container_id is not None:
            clauses.append("container_id = ?")
            args.append(container_id)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        rows = self.conn.execute(query + " ORDER BY seq", args).fetchall()
        return [Endpoint.model_validate(dict(row)) for row in rows]

    def insert_endpoint(self, endpoint: Endpoint) -> None:
        """Insert a new endpoint row (connect order follows insertion)."""
        self.conn.execute(
            f"INSERT INTO endpoints ({ENDPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                endpoint.id,
                endpoint.network_id,
                endpoint.container_id,
                endpoint.ip_address,
                endpoint.ip_address6,
                endpoint.epair,
                endpoint.mac_address,
            ),
        )

    def delete_endpoint(self, endpoint_id: str) -> None:
        """Delete an endpoint row."""
        self.conn.execute("DELETE FROM endpoints WHERE id = ?", (endpoint_id,))

    def set_epair(self, endpoint_id: str, epair: str | None) -> None:
        """Record the epair of an endpoint (None when its container stops)."""
        self.conn.execute(
            "UPDATE endpoints SET epair = ? WHERE id = ?", (epair, endpoint_id)
        )

    # containers

    def containers(self) -> list[Container]:
        """Return every container, oldest first (by created, then creation order)."""
        from kleene.model import Container

        rows = self.conn.execute(
            "SELECT data, running, jid FROM containers ORDER BY created, seq"
        ).fetchall()
        result = []
        for row in rows:
            data = json.loads(row["data"])
            data.update(running=bool(row["running"]), jid=row["jid"])
            result.append(Container.model_validate(data))
        return result

    def insert_container(self, container: Container) -> None:
        """Insert a new container row."""
        data = container.to_json_dict()
        self.conn.execute(
            "INSERT INTO containers (id, name, created, running, jid, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                container.id,
                container.name,
                container.created,
                int(container.running),
                container.jid,
                json.dumps(data, sort_keys=True),
            ),
        )

    def delete_container(self, container_id: str) -> None:
        """Delete a container row (its endpoints must be gone)."""
        self.conn.execute(
            "DELETE FROM object_ids WHERE id IN "
            "(SELECT id FROM execs WHERE container_id = ?)",
            (container_id,),
        )
        self.conn.execute("DELETE FROM execs WHERE container_id = ?", (container_id,))
        self.conn.execute("DELETE FROM containers WHERE id = ?", (container_id,))

    def set_running(self, container_id: str, jid: int | None) -> None:
        """Mark a container running with a JID, or stopped (None)."""
        self.conn.execute(
            "UPDATE containers SET running = ?, jid = ? WHERE id = ?",
            (int(jid is not None), jid, container_id),
        )

    def insert_exec(
        self, exec_id: str, container_id: str, cmd: list[str], created: str
    ) -> None:
        """Record an exec instance."""
        self.conn.execute(
            "INSERT INTO execs (id, container_id, cmd, created) VALUES (?, ?, ?, ?)",
            (exec_id, container_id, json.dumps(cmd), created),
        )


def _network_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    data["icc"] = bool(data["icc"])
    data["internal"] = bool(data["internal"])
    return data
