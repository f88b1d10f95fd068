"""The SQLite store: schema versions, transactions, rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kleene.errors import StateError
from kleene.model import Endpoint, Network, NetworkType
from kleene.store import SCHEMA_VERSION, Store


def network(name: str = "testnet", network_id: str = "aaaaaaaaaaaa") -> Network:
    return Network(
        id=network_id, name=name, type=NetworkType.LOOPBACK, interface="kleene0"
    )


def test_new_store_is_at_the_current_schema_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION


def test_reopening_keeps_rows(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction():
        store.insert_network(network())
    store.close()
    assert [n.name for n in Store(tmp_path).networks()] == ["testnet"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "kleene.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StateError, match="upgrade kleene"):
        Store(tmp_path)


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_network(network())
        raise RuntimeError("boom")
    assert store.networks() == []


def test_network_rows_are_json_shaped_and_sorted(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction():
        store.insert_network(network("zeta", "bbbbbbbbbbbb").model_copy(
            update={"interface": "kleene1"}))  # fmt: skip
        store.insert_network(network("alpha"))
    rows = store.network_rows()
    assert [row["name"] for row in rows] == ["alpha", "zeta"]
    assert rows[0]["icc"] is True and rows[0]["internal"] is False


def test_endpoints_keep_connect_order(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction():
        store.insert_network(network())
        for number, container in enumerate(["c2", "c1", "c3"]):
            store.conn.execute(
                "INSERT INTO containers (id, name, created, data) VALUES (?,?,?,?)",
                (container, container, "2024", "{}"),
            )
            store.insert_endpoint(
                Endpoint(
                    id=f"e{number}",
                    network_id="aaaaaaaaaaaa",
                    container_id=container,
                    ip_address=f"10.0.0.{number + 1}",
                )
            )
    endpoints = store.endpoints(network_id="aaaaaaaaaaaa")
    assert [e.container_id for e in endpoints] == ["c2", "c1", "c3"]
    assert [e.id for e in store.endpoints(container_id="c1")] == ["e1"]


def test_meta_values_are_set_and_deleted(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.set_meta("pf_loaded", "text")
    assert store.get_meta("pf_loaded") == "text"
    store.set_meta("pf_loaded", None)
    assert store.get_meta("pf_loaded") is None
