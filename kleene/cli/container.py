"""``klee container ...`` and its shortcuts (SPEC §2.5, §3.7–§3.10)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from kleene.cli.common import reports_errors, session
from kleene.cli.output import dumps, echo
from kleene.errors import KleeneError, ValidationError

if TYPE_CHECKING:
    from kleene.engine.core import Engine
    from kleene.engine.lifecycle import Execution

app = typer.Typer(
    help="Manage containers",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

# Options of klee end at IMAGE (or CONTAINER): the rest is the command.
COMMAND_SETTINGS = {"allow_interspersed_args": False, "ignore_unknown_options": True}


class DriverChoice(StrEnum):
    IPNET = "ipnet"
    HOST = "host"
    VNET = "vnet"
    DISABLED = "disabled"


NameOption = Annotated[str | None, typer.Option("--name", help="Container name.")]
DriverOption = Annotated[
    DriverChoice | None, typer.Option("--driver", "-l", help="Network driver.")
]
NetworkOption = Annotated[
    str | None, typer.Option("--network", "-n", help="Network to connect to.")
]
IpOption = Annotated[str | None, typer.Option("--ip", help="IPv4 address.")]
Ip6Option = Annotated[str | None, typer.Option("--ip6", help="IPv6 address.")]
PublishOption = Annotated[
    list[str] | None, typer.Option("--publish", "-p", help="Publish a port.")
]
JailParamOption = Annotated[
    list[str] | None, typer.Option("--jailparam", "-J", help="Extra jail parameter.")
]
EnvOption = Annotated[
    list[str] | None,
    typer.Option("--env", "-e", help="Environment variable VAR=VALUE."),
]
UserOption = Annotated[str | None, typer.Option("--user", "-u", help="User.")]
DetachOption = Annotated[
    bool, typer.Option("--detach", "-d", help="Run in the background.")
]
InteractiveOption = Annotated[
    bool, typer.Option("--interactive", "-i", help="Forward stdin to the process.")
]
TtyOption = Annotated[bool, typer.Option("--tty", "-t", help="Allocate a pseudo-TTY.")]
ImageArgument = Annotated[
    str, typer.Argument(metavar="IMAGE", help="Image NAME[:TAG] or id.")
]
CommandArgument = Annotated[
    list[str] | None, typer.Argument(metavar="COMMAND", help="Command to run.")
]


class CreateOptions(NamedTuple):
    """The options that ``create`` and ``run`` share, as given."""

    image: str
    command: list[str] | None
    name: str | None
    driver: DriverChoice | None
    network: str | None
    ip: str | None
    ip6: str | None
    publish: list[str] | None
    jailparam: list[str] | None
    env: list[str] | None
    user: str | None


def _create(ctx: typer.Context, options: CreateOptions) -> tuple[Engine, str, bool]:
    """Create (and connect) a container; return the engine, its id, and success."""
    from kleene import ports
    from kleene.engine import containers
    from kleene.model import NetworkDriver

    o = options
    if (o.ip or o.ip6) and not o.network:
        raise typer.BadParameter("--ip and --ip6 need --network")
    chosen = o.driver.value if o.driver else ("ipnet" if o.network else "host")
    engine = session(ctx).engine()
    request = containers.ContainerRequest(
        image=o.image,
        command=list(o.command or []),
        name=o.name,
        driver=NetworkDriver(chosen),
        publish=[ports.parse_publish(raw) for raw in o.publish or []],
        jail_params=list(o.jailparam or []),
        env=list(o.env or []),
        user=o.user,
    )
    container = containers.create(engine, request)
    echo(container.id + "\n")
    if o.network:
        try:
            containers.connect(engine, o.network, container.id, o.ip, o.ip6)
        except KleeneError as exc:
            print(f"could not connect container: {exc}", file=sys.stderr, flush=True)
            return engine, container.id, False
    return engine, container.id, True


@app.command("create", context_settings=COMMAND_SETTINGS)
@reports_errors
def create(
    ctx: typer.Context,
    image: ImageArgument,
    command: CommandArgument = None,
    name: NameOption = None,
    driver: DriverOption = None,
    network: NetworkOption = None,
    ip: IpOption = None,
    ip6: Ip6Option = None,
    publish: PublishOption = None,
    jailparam: JailParamOption = None,
    env: EnvOption = None,
    user: UserOption = None,
) -> None:
    """Create a container."""
    options = CreateOptions(
        image, command, name, driver, network, ip, ip6, publish, jailparam, env, user
    )
    _, _, ok = _create(ctx, options)
    if not ok:
        raise typer.Exit(1)


@app.command("run", context_settings=COMMAND_SETTINGS)
@reports_errors
def run(
    ctx: typer.Context,
    image: ImageArgument,
    command: CommandArgument = None,
    name: NameOption = None,
    driver: DriverOption = None,
    network: NetworkOption = None,
    ip: IpOption = None,
    ip6: Ip6Option = None,
    publish: PublishOption = None,
    jailparam: JailParamOption = None,
    env: EnvOption = None,
    user: UserOption = None,
    detach: DetachOption = False,
    interactive: InteractiveOption = False,
    tty: TtyOption = False,
) -> None:
    """Create and start a container."""
    from kleene.engine import lifecycle

    options = CreateOptions(
        image, command, name, driver, network, ip, ip6, publish, jailparam, env, user
    )
    engine, container_id, ok = _create(ctx, options)
    if not ok:
        raise typer.Exit(1)
    stdin = _read_stdin() if interactive else None
    execution = lifecycle.start(engine, container_id, stdin=stdin)
    _attend(engine, execution, detach=detach and not interactive)


def _read_stdin() -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode()


def _write_output(chunk: bytes) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(chunk)
        buffer.flush()
    else:
        sys.stdout.write(chunk.decode(errors="replace"))
        sys.stdout.flush()


def _attend(engine: Engine, execution: Execution, *, detach: bool) -> None:
    """Print the transcript of SPEC §3.7 (or §3.8 when detached); exit with it."""
    from kleene.engine import lifecycle

    try:
        echo(f"created execution instance {execution.exec_id}\n")
        if detach:
            execution.process.detach()
            return
        status, running = lifecycle.follow(engine, execution, _write_output)
    except KeyboardInterrupt:
        # Ctrl-C detaches: the process keeps running without klee.
        execution.process.detach()
        raise typer.Exit(130) from None
    if running:
        echo(f"\n{execution.exec_id} has exited with exit-code {status}\n")
    else:
        echo(
            f"\nexecutable {execution.exec_id} and its container exited "
            f"with exit-code {status}\n"
        )
    raise typer.Exit(status)


ContainersArgument = Annotated[list[str], typer.Argument(metavar="CONTAINER...")]
ContainerArgument = Annotated[
    str, typer.Argument(metavar="CONTAINER", help="Container name, id or prefix.")
]


@app.command("start")
@reports_errors
def start(
    ctx: typer.Context,
    container_list: ContainersArgument,
    detach: DetachOption = False,
    interactive: InteractiveOption = False,
    tty: TtyOption = False,
) -> None:
    """Start stopped containers."""
    from kleene.engine import lifecycle

    attached = interactive or not detach
    if attached and len(container_list) > 1:
        raise ValidationError(
            "only one container can be started when attaching to container I/O."
        )
    engine = session(ctx).engine()
    stdin = _read_stdin() if interactive else None
    for ident in container_list:
        execution = lifecycle.start(engine, ident, stdin=stdin)
        _attend(engine, execution, detach=not attached)


@app.command("exec", context_settings=COMMAND_SETTINGS)
@reports_errors
def exec_(
    ctx: typer.Context,
    container: ContainerArgument,
    command: CommandArgument = None,
    detach: DetachOption = False,
    interactive: InteractiveOption = False,
    tty: TtyOption = False,
    env: EnvOption = None,
    user: UserOption = None,
) -> None:
    """Run a command in a container."""
    from kleene.engine import lifecycle

    engine = session(ctx).engine()
    stdin = _read_stdin() if interactive else None
    execution = lifecycle.execute(
        engine, container, list(command or []), env=env, user=user, stdin=stdin
    )
    _attend(engine, execution, detach=detach and not interactive)


@app.command("stop")
@reports_errors
def stop(ctx: typer.Context, container_list: ContainersArgument) -> None:
    """Stop running containers."""
    from kleene.engine import lifecycle

    engine = session(ctx).engine()
    for ident in container_list:
        echo(lifecycle.stop(engine, ident) + "\n")


@app.command("rm")
@reports_errors
def rm(
    ctx: typer.Context,
    container_list: ContainersArgument,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Stop running containers first.")
    ] = False,
) -> None:
    """Remove containers."""
    from kleene.engine import containers

    engine = session(ctx).engine()
    for ident in container_list:
        echo(containers.remove(engine, ident, force=force) + "\n")


@app.command("ls")
@reports_errors
def ls(
    ctx: typer.Context,
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="Show stopped too.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only ids.")] = False,
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List containers."""
    from kleene.engine import listing

    if quiet and json:
        raise typer.BadParameter("use either --quiet or --json, not both")
    rows = listing.container_rows(session(ctx).engine(), include_stopped=all_)
    if quiet:
        echo("".join(row["id"] + "\n" for row in rows))
    elif json:
        echo(
            dumps(
                [
                    {k: v for k, v in row.items() if not k.startswith("_")}
                    for row in rows
                ]
            )
        )
    else:
        echo(listing.container_table(rows))


@app.command("inspect")
@reports_errors
def inspect(ctx: typer.Context, container: ContainerArgument) -> None:
    """Show a container and its endpoints as JSON."""
    from kleene.engine import listing

    echo(dumps(listing.inspect(session(ctx).engine(), container)))
