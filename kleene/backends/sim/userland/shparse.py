"""The sh(1) grammar the simulation understands, parsed into JSON-ready lists.

A script is a list of *and-or lists* (separated by ``;`` or newlines); an
and-or list is a list of ``[operator, pipeline]`` pairs, the operator being
``""`` for the first and ``&&`` or ``||`` after; a pipeline is a list of
commands joined by ``|``; a command is ``{"argv": [...], "out": [mode,
path] | None, "in": path | None}`` with ``mode`` ``>`` or ``>>``.

Words may be quoted with ``'...'`` or ``"..."`` (where ``\\`` escapes ``"``,
``\\``, ``$`` and a backquote) or escaped with ``\\``; ``#`` starts a comment
at the start of a word. ``2>&1`` is accepted and changes nothing (output is
one stream), and ``2> FILE`` is ignored. Parameter expansion, globbing,
subshells and ``&`` are not simulated. Errors raise ``ShSyntaxError`` with
dash's wording.
"""

from __future__ import annotations

from typing import Any

Command = dict[str, Any]
Pipeline = list[Command]
AndOr = list[list[Any]]

_OPERATORS = ("&&", "||", ">>", "2>&1", "2>", "|", ";", "\n", ">", "<", "&")
_DOUBLE_ESCAPES = '"\\$`'


class ShSyntaxError(Exception):
    """The script cannot be parsed; the message is dash's."""


def tokenize(script: str) -> list[tuple[str, str]]:
    """Split a script into ``("word", text)`` and ``("op", text)`` tokens."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(script):
        char = script[position]
        if char in " \t":
            position += 1
        elif char == "#":
            while position < len(script) and script[position] != "\n":
                position += 1
        else:
            operator = _operator(script, position)
            if operator is not None:
                tokens.append(("op", operator))
                position += len(operator)
            else:
                word, position = _word(script, position)
                tokens.append(("word", word))
    return tokens


def _operator(script: str, position: int) -> str | None:
    return next((op for op in _OPERATORS if script.startswith(op, position)), None)


def _word(script: str, position: int) -> tuple[str, int]:
    out: list[str] = []
    while position < len(script):
        char = script[position]
        if char in " \t\n;&|<>":
            break
        if char == "'":
            end = script.find("'", position + 1)
            if end < 0:
                raise ShSyntaxError("Syntax error: Unterminated quoted string")
            out.append(script[position + 1 : end])
            position = end + 1
        elif char == '"':
            text, position = _double_quoted(script, position + 1)
            out.append(text)
        elif char == "\\" and position + 1 < len(script):
            if script[position + 1] != "\n":
                out.append(script[position + 1])
            position += 2
        else:
            out.append(char)
            position += 1
    return "".join(out), position


def _double_quoted(script: str, position: int) -> tuple[str, int]:
    out: list[str] = []
    while position < len(script):
        char = script[position]
        if char == '"':
            return "".join(out), position + 1
        if char == "\\" and position + 1 < len(script):
            following = script[position + 1]
            out.append(following if following in _DOUBLE_ESCAPES else "\\" + following)
            position += 2
            continue
        out.append(char)
        position += 1
    raise ShSyntaxError("Syntax error: Unterminated quoted string")


def parse(script: str) -> list[AndOr]:
    """Parse a script into and-or lists."""
    tokens = tokenize(script)
    lists: list[AndOr] = []
    current: AndOr = []
    operator = ""
    pipeline: Pipeline = []
    command: Command = _command()
    for kind, text in [*tokens, ("op", ";")]:
        if kind == "word":
            command = _add_word(command, text)
            continue
        if text in (">", ">>", "<", "2>"):
            command["pending"] = text
            continue
        if text == "2>&1":
            continue
        if "pending" in command:
            raise ShSyntaxError(f'Syntax error: "{_shown(text)}" unexpected')
        if text == "&":
            raise ShSyntaxError('Syntax error: "&" unexpected (not simulated)')
        if not command["argv"]:
            if text == "\n" or (text == ";" and not pipeline and not current):
                continue
            raise ShSyntaxError(f'Syntax error: "{_shown(text)}" unexpected')
        pipeline.append(command)
        command = _command()
        if text == "|":
            continue
        current.append([operator, pipeline])
        pipeline = []
        if text in ("&&", "||"):
            operator = text
            continue
        lists.append(current)
        current, operator = [], ""
    return lists


def _command() -> Command:
    return {"argv": [], "out": None, "in": None}


def _add_word(command: Command, word: str) -> Command:
    pending = command.pop("pending", None)
    if pending == "<":
        command["in"] = word
    elif pending == "2>":
        pass
    elif pending is not None:
        command["out"] = [pending, word]
    else:
        command["argv"].append(word)
    return command


def _shown(operator: str) -> str:
    return "newline" if operator == "\n" else operator
