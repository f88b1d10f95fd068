"""pf.conf tokens, cut the way pfctl's lexer cuts them (``yylex``).

The lexer reads characters, not lines, so pfctl's quirks come for free:

- a backslash before a newline joins two lines; a backslash before any
  other character is dropped;
- ``#`` starts a comment up to the end of the line;
- ``$name`` (letters, digits and ``_``) is replaced by the macro's value,
  which is then read as if written in place: ``($if:network)`` reads
  ``(kleene0:network)``, ``$list`` reads ``{lo0, kleene0}``. A value is
  not expanded again, and nothing is expanded inside quotes;
- an undefined macro reports ``macro '<name>' not defined``, skips to the
  end of the line (newline included) and yields an ``ERROR`` token;
- ``"..."`` and ``'...'`` make one ``STRING``, whatever they hold;
- digits followed by a space, ``)``, ``,``, ``/``, ``}`` or ``=`` make a
  ``NUMBER``; ``10.0.0.1``, ``8080:8090`` or ``fd00::1`` make a
  ``STRING``; a ``STRING`` that is a pf keyword is a ``KEYWORD``;
- ``->`` is an ``ARROW``, ``<>`` and ``><`` a ``PORTBINARY``; any other
  character is a ``CHAR`` token, a newline a ``NEWLINE``.

``line`` counts physical lines from 1. The end of the text reads as one
last newline, so a final statement without one still ends.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Final

from kleene.backends.sim.pf.names import KEYWORDS

_EOF: Final = ""
_ALNUM: Final = frozenset(string.ascii_letters + string.digits)
_DIGITS: Final = frozenset(string.digits)
_NOT_IN_STRING: Final = frozenset("(){}<>!=/#,")
_IN_STRING: Final = _ALNUM | (frozenset(string.punctuation) - _NOT_IN_STRING)
_STRING_START: Final = _ALNUM | {":", "_"}
_ENDS_NUMBER: Final = frozenset(" \t\n\r\v\f),/}=")
_INT64: Final = 2**63


class TokenKind(Enum):
    """The kind of a token."""

    STRING = "string"
    NUMBER = "number"
    KEYWORD = "keyword"
    CHAR = "char"
    ARROW = "->"
    PORTBINARY = "portbinary"
    NEWLINE = "newline"
    ERROR = "error"
    EOF = "eof"


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text and the line it starts on."""

    kind: TokenKind
    text: str
    line: int
    number: int = 0

    def is_keyword(self, *words: str) -> bool:
        """Tell whether the token is one of these keywords."""
        return self.kind is TokenKind.KEYWORD and self.text in words

    def is_char(self, char: str) -> bool:
        """Tell whether the token is this single character."""
        return self.kind is TokenKind.CHAR and self.text == char


Report = Callable[[int, str], None]


class Lexer:
    """Cut a pf.conf text into tokens, expanding macros as it goes."""

    def __init__(self, text: str, macros: Mapping[str, str], report: Report) -> None:
        self.line = 1
        self._text = text
        self._pos = 0
        self._macros = macros
        self._report = report
        self._value: str | None = None
        self._index = 0
        self._pushback: list[str] = []
        self._eof_reached = False

    def next_token(self) -> Token:
        """Return the next token."""
        while True:
            c = self._getc()
            while c in (" ", "\t"):
                c = self._getc()
            line = self.line
            if c == "#":
                while c not in ("\n", _EOF):
                    c = self._getc()
            if c != "$" or self._value is not None:
                return self._token(c, line)

            name = self._macro_name()
            if name is None:
                return Token(TokenKind.EOF, "", line)
            value = self._macros.get(name)
            if value is None:
                self._report(line, f"macro '{name}' not defined")
                self._skip_line()
                return Token(TokenKind.ERROR, name, line)
            self._value, self._index = value, 0

    def _token(self, c: str, line: int) -> Token:
        if c in ("'", '"'):
            return self._quoted(c, line)
        pair = {"<": ">", ">": "<", "-": ">"}.get(c)
        if pair is not None:
            after = self._getc()
            if after == pair:
                kind = TokenKind.ARROW if c == "-" else TokenKind.PORTBINARY
                return Token(kind, c + after, line)
            self._ungetc(after)

        if c == "-" or c in _DIGITS:
            number = self._number(c, line)
            if number is not None:
                return number
            if c == "-":
                return Token(TokenKind.CHAR, c, line)
        if c in _STRING_START:
            return self._word(c, line)
        if c == "\n":
            self.line += 1
            return Token(TokenKind.NEWLINE, c, line)
        if c == _EOF:
            return Token(TokenKind.EOF, "", line)
        return Token(TokenKind.CHAR, c, line)

    def _number(self, first: str, line: int) -> Token | None:
        digits = [first]
        c = self._getc()
        while c in _DIGITS and c != _EOF:
            digits.append(c)
            c = self._getc()
        self._ungetc(c)
        text = "".join(digits)
        if text == "-":
            return None
        if c != _EOF and c not in _ENDS_NUMBER:
            for digit in reversed(digits[1:]):
                self._ungetc(digit)
            return None

        value = int(text)
        if not -_INT64 <= value < _INT64:
            size = "large" if value > 0 else "small"
            self._report(line, f'"{text}" invalid number: too {size}')
            self._skip_line()
            return Token(TokenKind.ERROR, text, line)
        return Token(TokenKind.NUMBER, text, line, value)

    def _word(self, first: str, line: int) -> Token:
        chars = [first]
        c = self._getc()
        while c in _IN_STRING and c != _EOF:
            chars.append(c)
            c = self._getc()
        self._ungetc(c)
        word = "".join(chars)
        kind = TokenKind.KEYWORD if word in KEYWORDS else TokenKind.STRING
        return Token(kind, word, line)

    def _quoted(self, quote: str, line: int) -> Token:
        chars: list[str] = []
        while True:
            c = self._getc(quoted=True)
            if c == _EOF:
                return self._unterminated(line)
            if c == "\n":
                self.line += 1
                continue
            if c == "\\":
                after = self._getc(quoted=True)
                if after == _EOF:
                    return self._unterminated(line)
                if after == "\n":
                    self.line += 1
                    continue
                if after == quote:
                    c = after
                else:
                    self._ungetc(after)
            elif c == quote:
                return Token(TokenKind.STRING, "".join(chars), line)
            chars.append(c)

    def _unterminated(self, line: int) -> Token:
        self._report(line, "reached end of file while parsing quoted string")
        return Token(TokenKind.EOF, "", line)

    def _macro_name(self) -> str | None:
        chars: list[str] = []
        while True:
            c = self._getc()
            if c == _EOF:
                return None
            if c in _ALNUM or c == "_":
                chars.append(c)
                continue
            self._ungetc(c)
            return "".join(chars)

    def _skip_line(self) -> None:
        self._value = None
        while True:
            c = self._getc()
            if c == "\n":
                self.line += 1
                return
            if c == _EOF:
                return

    def _getc(self, *, quoted: bool = False) -> str:
        if self._value is not None:
            index = self._index
            self._index += 1
            if 0 <= index < len(self._value):
                return self._value[index]
            if index >= 0:
                self._value = None
        if self._pushback:
            return self._pushback.pop()
        c = self._raw()
        if quoted:
            return c

        while c == "\\":
            after = self._raw()
            if after != "\n":
                c = after
                break
            self.line += 1
            c = self._raw()
        if c == _EOF and not self._eof_reached:
            self._eof_reached = True
            return "\n"
        return c

    def _ungetc(self, c: str) -> None:
        if c == _EOF:
            return
        if self._value is not None:
            self._index -= 1
            if self._index >= 0:
                return
        self._pushback.append(c)

    def _raw(self) -> str:
        if self._pos >= len(self._text):
            return _EOF
        c = self._text[self._pos]
        self._pos += 1
        return c
