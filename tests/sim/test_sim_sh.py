"""sh(1), env(1), the rc scripts and the small waiting programs."""

from __future__ import annotations

from tests.sim.simhost import Ok, Run


def sh(run: Run, script: str) -> tuple[int, str]:
    result = run("sh -c " + _quote(script))
    return result.status, result.output


def _quote(script: str) -> str:
    return "'" + script.replace("'", "'\\''") + "'"


def test_lists_and_pipes(run: Run) -> None:
    assert sh(run, "echo one; echo two") == (0, "one\ntwo\n")
    assert sh(run, "echo hello | cat") == (0, "hello\n")
    assert sh(run, "false && echo no || echo yes") == (0, "yes\n")
    assert sh(run, "true || echo no; echo end") == (0, "end\n")
    assert sh(run, "false") == (1, "")


def test_quotes_and_escapes(run: Run) -> None:
    assert sh(run, 'echo \'a  b\' "c \\"d\\"" e\\ f') == (0, 'a  b c "d" e f\n')


def test_cd_exit_and_comments(run: Run) -> None:
    assert sh(run, "cd /app && echo in # comment") == (0, "in\n")
    assert sh(run, "exit 3; echo never") == (3, "")
    assert sh(run, "false; exit") == (1, "")


def test_unknown_command_is_not_found(run: Run) -> None:
    assert sh(run, "nosuch arg; echo after") == (0, "sh: nosuch: not found\nafter\n")
    assert sh(run, "nosuch") == (127, "sh: nosuch: not found\n")


def test_redirections(ok: Ok, run: Run) -> None:
    assert sh(run, "echo data > /tmp/f; echo more >> /tmp/f; cat < /tmp/f") == (
        0,
        "data\nmore\n",
    )
    assert sh(run, "echo gone >/dev/null 2>&1") == (0, "")
    assert ok("cat /tmp/f") == "data\nmore\n"


def test_syntax_errors_exit_2(run: Run) -> None:
    assert sh(run, "echo 'open") == (
        2,
        "sh: Syntax error: Unterminated quoted string\n",
    )
    assert sh(run, "&& echo") == (2, 'sh: Syntax error: "&&" unexpected\n')


def test_only_the_last_command_of_a_pipeline_may_wait(run: Run) -> None:
    assert sh(run, "nc -l 80 | cat") == (
        2,
        "sh: nc: only the last command of a pipeline may wait\n",
    )


def test_waiting_commands_of_a_list_run_in_turn(ok: Ok, run: Run) -> None:
    assert sh(run, "echo a; sleep 2; date; sleep 1 && echo b") == (
        0,
        "a\nMon Jan  1 00:00:02 UTC 2024\nb\n",
    )
    assert ok("date") == "Mon Jan  1 00:00:03 UTC 2024\n"


def test_sh_file_runs_the_simulated_scripts(ok: Ok, run: Run) -> None:
    assert ok("sh /etc/rc") == (
        "Starting syslogd.\nStarting cron.\n\nMon Jan  1 00:00:00 UTC 2024\n"
    )
    assert ok("/bin/sh /etc/rc.shutdown jail") == "Stopping cron.\nStopping syslogd.\n"
    assert ok("sh /etc/rc.shutdown") == ""
    result = run("sh /etc/nosuch")
    assert (result.status, result.output) == (
        127,
        "sh: cannot open /etc/nosuch: No such file or directory\n",
    )


def test_rc_in_a_vnet_jail_configures_lo0(ok: Ok) -> None:
    ok("jail -c name=v path=/ vnet persist")
    ok("jexec v sh /etc/rc")
    assert ok("jexec v ifconfig lo0").splitlines()[2:5] == [
        "\tinet6 ::1 prefixlen 128",
        "\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x1",
        "\tinet 127.0.0.1 netmask 0xff000000",
    ]


def test_env_prints_and_runs(ok: Ok, run: Run) -> None:
    assert "A=1" in ok("env A=1").splitlines()
    assert ok("env -i A=1 B=2") == "A=1\nB=2\n"
    assert ok("/usr/bin/env A=1 echo hi") == "hi\n"
    result = run("/usr/bin/env nosuch")
    assert (result.status, result.output) == (
        127,
        "env: nosuch: No such file or directory\n",
    )


def test_sleep_advances_the_virtual_clock(ok: Ok, run: Run) -> None:
    assert ok("sleep 1.5") == ""
    assert ok("date") == "Mon Jan  1 00:00:01 UTC 2024\n"
    assert run("sleep").status == 64


def test_cron_and_syslogd_daemonize(ok: Ok) -> None:
    ok("jail -c name=c1 path=/ persist")
    assert ok("jexec c1 cron") == ""
    assert ok("jexec c1 sh /etc/rc.shutdown") == "Stopping cron.\n"
