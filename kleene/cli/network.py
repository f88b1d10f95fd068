"""``klee network ...`` and its shortcuts ``lsn``, ``isn``, ``rmn`` (SPEC §2.4)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from kleene.cli.common import reports_errors, session
from kleene.cli.output import dumps, echo, network_list

app = typer.Typer(
    help="Manage networks",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

BOOLEAN_WORDS = {
    "true": True, "yes": True, "on": True, "1": True,
    "false": False, "no": False, "off": False, "0": False,
}  # fmt: skip

# Hidden options that carry ``--nat=VALUE`` / ``--icc=VALUE`` (see expand_bool_values).
VALUE_OPTIONS = {"--nat": "--nat-value", "--icc": "--icc-value"}


class TypeChoice(StrEnum):
    LOOPBACK = "loopback"
    BRIDGE = "bridge"
    CUSTOM = "custom"


def expand_bool_values(args: list[str]) -> list[str]:
    """Route ``--nat=VALUE`` and ``--icc=VALUE`` to their hidden value options."""
    result = []
    for arg in args:
        name, sep, value = arg.partition("=")
        if sep and name in VALUE_OPTIONS:
            result.append(f"{VALUE_OPTIONS[name]}={value}")
        else:
            result.append(arg)
    return result


def parse_boolean(value: str, option: str) -> bool:
    """Read one boolean word, or fail as a usage error naming the option."""
    try:
        return BOOLEAN_WORDS[value.lower()]
    except KeyError:
        raise typer.BadParameter(
            f"'{value}' is not a valid boolean", param_hint=f"'{option}'"
        ) from None


@app.command("create")
@reports_errors
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Name of the network.")],
    type: Annotated[
        TypeChoice, typer.Option("--type", "-t", help="Network type.")
    ] = TypeChoice.LOOPBACK,
    interface: Annotated[
        str,
        typer.Option("--interface", "-i", help="Host interface (default: kleene<N>)."),
    ] = "",
    subnet: Annotated[str, typer.Option(help="IPv4 subnet in CIDR notation.")] = "",
    subnet6: Annotated[str, typer.Option(help="IPv6 subnet in CIDR notation.")] = "",
    gateway: Annotated[
        str, typer.Option("--gw", "--gateway", help="IPv4 gateway (bridge only).")
    ] = "auto",
    gateway6: Annotated[
        str, typer.Option("--gw6", "--gateway6", help="IPv6 gateway (bridge only).")
    ] = "auto",
    nat: Annotated[
        bool, typer.Option("--nat/--no-nat", help="NAT outgoing traffic.")
    ] = True,
    nat_value: Annotated[str | None, typer.Option("--nat-value", hidden=True)] = None,
    nat_if: Annotated[
        str | None, typer.Option("--nat-if", help="Interface to NAT to.")
    ] = None,
    icc: Annotated[
        bool, typer.Option("--icc/--no-icc", help="Inter-container connectivity.")
    ] = True,
    icc_value: Annotated[str | None, typer.Option("--icc-value", hidden=True)] = None,
    internal: Annotated[
        bool, typer.Option("--internal", help="Block traffic leaving the network.")
    ] = False,
) -> None:
    """Create a network."""
    from kleene.engine import networks
    from kleene.model import NetworkType

    if nat_value is not None:
        nat = parse_boolean(nat_value, "--nat")
    if icc_value is not None:
        icc = parse_boolean(icc_value, "--icc")
    request = networks.network_request(
        name,
        NetworkType(type.value),
        interface=interface,
        subnet=subnet,
        subnet6=subnet6,
        gateway=gateway,
        gateway6=gateway6,
        nat=nat,
        nat_if=nat_if,
        icc=icc,
        internal=internal,
    )
    network = networks.create(session(ctx).engine(), request)
    echo(network.id + "\n")


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Only show ids.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("ls")
@reports_errors
def ls(
    ctx: typer.Context, quiet: QuietOption = False, json: JsonOption = False
) -> None:
    """List networks."""
    if quiet and json:
        raise typer.BadParameter("use either --quiet or --json, not both")
    rows = session(ctx).store().network_rows()
    echo(network_list(rows, quiet=quiet, as_json=json))


@app.command("inspect")
@reports_errors
def inspect(
    ctx: typer.Context,
    network: Annotated[
        str, typer.Argument(metavar="NETWORK", help="Network name, id or id prefix.")
    ],
) -> None:
    """Show a network and its endpoints as JSON."""
    from kleene.engine import networks

    echo(dumps(networks.inspect(session(ctx).engine(), network)))


@app.command("rm")
@reports_errors
def rm(
    ctx: typer.Context,
    network_list: Annotated[
        list[str], typer.Argument(metavar="NETWORK...", help="Networks to remove.")
    ],
) -> None:
    """Remove one or more networks."""
    from kleene.engine import networks

    engine = session(ctx).engine()
    for ident in network_list:
        echo(networks.remove(engine, ident) + "\n")


@app.command("prune")
@reports_errors
def prune(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Do not ask for confirmation.")
    ] = False,
) -> None:
    """Remove all networks without endpoints."""
    from kleene.engine import networks

    if not force and not confirm("WARNING! This will remove all unused networks."):
        print("Aborted!", file=sys.stderr)
        raise typer.Exit(1)
    removed = networks.prune(session(ctx).engine())
    echo("".join(network_id + "\n" for network_id in removed) or "\n")


def confirm(warning: str) -> bool:
    """Ask on stderr; read one line of stdin; tell whether it said yes."""
    print(warning, file=sys.stderr)
    print("Are you sure you want to continue? [y/N]: ", end="", file=sys.stderr)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


@app.command("connect")
@reports_errors
def connect(
    ctx: typer.Context,
    network: Annotated[
        str, typer.Argument(metavar="NETWORK", help="Network name, id or id prefix.")
    ],
    container: Annotated[
        str, typer.Argument(metavar="CONTAINER", help="Container name, id or prefix.")
    ],
    ip: Annotated[str | None, typer.Option("--ip", help="IPv4 address.")] = None,
    ip6: Annotated[str | None, typer.Option("--ip6", help="IPv6 address.")] = None,
) -> None:
    """Connect a container to a network."""
    from kleene.engine import containers

    containers.connect(session(ctx).engine(), network, container, ip, ip6)


@app.command("disconnect")
@reports_errors
def disconnect(
    ctx: typer.Context,
    network: Annotated[
        str, typer.Argument(metavar="NETWORK", help="Network name, id or id prefix.")
    ],
    container: Annotated[
        str, typer.Argument(metavar="CONTAINER", help="Container name, id or prefix.")
    ],
) -> None:
    """Disconnect a container from a network."""
    from kleene.engine import containers

    containers.disconnect(session(ctx).engine(), network, container)
