"""The state table: JSON round trip, bounds, ``pfctl -s states`` lines, runtime."""

from __future__ import annotations

import json

from kleene.backends.sim.pf import runtime
from kleene.backends.sim.pf.match import compile_ruleset
from kleene.backends.sim.pf.show import format_states
from kleene.backends.sim.pf.states import StateTable
from kleene.backends.sim.world import PfState, Stack, World
from tests.sim.pfeval import IN, OUT, pf, ping, run, syn, syn6, udp

NAT = "nat on em0 from (kleene0:network) to any -> (em0)\n"
RDR = "rdr on em0 inet proto tcp to (em0) port 8080 -> 10.13.37.1 port 80\n"


def test_table_survives_a_json_round_trip() -> None:
    ctx = pf(NAT + "pass all\n")
    run(ctx, "em0", OUT, udp("10.13.37.1", "1.1.1.1", 31000, 53))
    run(ctx, "em0", IN, syn("10.0.2.2", "10.0.2.15"))

    data = json.loads(json.dumps(ctx.states.to_dict()))
    copy = StateTable.from_dict(data)

    assert copy.to_dict() == ctx.states.to_dict()
    ctx.states = copy
    back = run(ctx, "em0", IN, udp("1.1.1.1", "10.0.2.15", 53, 50001))
    assert back.packet.dst == "10.13.37.1"


def test_full_table_drops_the_state_closest_to_expiry() -> None:
    ctx = pf("pass all\n")
    ctx.states = StateTable(limit=2)
    run(ctx, "em0", OUT, udp("10.0.2.15", "1.1.1.1", 1, 53))
    ctx.now_us = 1_000_000
    run(ctx, "em0", OUT, udp("10.0.2.15", "1.1.1.1", 2, 53))

    run(ctx, "em0", OUT, udp("10.0.2.15", "1.1.1.1", 3, 53))

    kept = sorted(state.stack[5] for state in ctx.states.states.values())
    assert kept == [2, 3]


def test_states_print_as_pfctl_prints_them() -> None:
    ctx = pf(NAT + RDR)
    run(ctx, "em0", OUT, udp("10.13.37.1", "1.1.1.1", 31000, 53))
    run(ctx, "em0", IN, syn("10.0.2.2", "10.0.2.15", 41000, 8080))
    run(ctx, "em0", OUT, ping("10.13.37.1", "1.1.1.1", id=7))
    run(ctx, "em0", IN, syn6("fd00::2", "fd00::1", 41000, 22))

    assert format_states(ctx.states, 0) == [
        "all udp 10.0.2.15:50001 (10.13.37.1:31000) -> 1.1.1.1:53"
        "       SINGLE:NO_TRAFFIC",
        "all tcp 10.13.37.1:80 (10.0.2.15:8080) <- 10.0.2.2:41000"
        "       CLOSED:SYN_SENT",
        "all icmp 10.0.2.15:50001 (10.13.37.1:7) -> 1.1.1.1:50001       0:0",
    ]


def test_expired_states_are_not_printed() -> None:
    ctx = pf("pass all\n")
    run(ctx, "em0", OUT, udp("10.0.2.15", "1.1.1.1"))

    assert format_states(ctx.states, 60 * 1_000_000) == []


def world_with(pf_state: PfState) -> tuple[World, Stack]:
    stack = Stack("host", pf=pf_state)
    world = World(seed=0, profile="default", clock_us=0, hostname="h")
    world.stacks["host"] = stack
    return world, stack


def test_disabled_pf_filters_and_translates_nothing() -> None:
    world, stack = world_with(PfState(enabled=False, ruleset=NAT + "block all\n"))
    packet = udp("10.13.37.1", "1.1.1.1")

    decision = runtime.filter_packet(world, stack, "em0", "out", packet, lambda: 0)

    assert decision.passed and decision.packet is packet


def test_enabled_pf_evaluates_the_loaded_text() -> None:
    world, stack = world_with(PfState(enabled=True, ruleset="block out all\n"))

    decision = runtime.filter_packet(
        world, stack, "em0", "out", udp("10.0.2.15", "1.1.1.1"), lambda: 0
    )

    assert not decision.passed


def test_ruleset_is_compiled_once_per_text() -> None:
    text = "block out all\n"

    assert compile_ruleset(text) is compile_ruleset(text)


def test_state_table_belongs_to_its_stack() -> None:
    _, first = world_with(PfState(enabled=True))
    _, second = world_with(PfState(enabled=True))

    assert runtime.state_table(first) is runtime.state_table(first)
    assert runtime.state_table(first) is not runtime.state_table(second)


def test_pfctl_show_lists_rules_nat_and_states() -> None:
    world, stack = world_with(PfState(enabled=True, ruleset=NAT + "pass all\n"))
    runtime.filter_packet(
        world, stack, "em0", "out", udp("10.13.37.1", "1.1.1.1"), lambda: 0
    )

    assert runtime.show(world, stack, "rules") == ["pass all flags S/SA keep state"]
    assert runtime.show(world, stack, "nat") == [
        "nat on em0 from (kleene0:network) to any -> (em0) round-robin"
    ]
    assert runtime.show(world, stack, "states") == [
        "all udp 10.13.37.1:40000 -> 1.1.1.1:53       SINGLE:NO_TRAFFIC"
    ]


def test_pflog_is_kept_to_its_limit() -> None:
    world, _ = world_with(PfState())
    world.pflog.extend([[0, {}]] * (runtime.PFLOG_LIMIT + 5))

    runtime.trim_pflog(world, room=1)

    assert len(world.pflog) == runtime.PFLOG_LIMIT - 1


def test_ruleset_that_no_longer_parses_passes_everything() -> None:
    world, stack = world_with(PfState(enabled=True, ruleset="block all\nbogus\n"))

    decision = runtime.filter_packet(
        world, stack, "em0", "in", udp("10.0.2.2", "10.0.2.15"), lambda: 0
    )

    assert decision.passed
