"""The token stream the grammar reads, with pfctl's error reporting.

pfctl's parser is a yacc grammar; this module gives the hand-written
grammar the same error behaviour:

- ``error(line, message)`` prints ``<file>:<line>: <message>`` (yyerror)
  and marks the ruleset as failed; ``note`` prints a bare line, as pfctl's
  ``fprintf(stderr, ...)`` does;
- a token that fits nowhere raises ``SyntaxFailure``; ``recover`` then
  reports ``syntax error`` at that token's line and skips to the end of
  the statement's line (its newline included);
- an action that refuses a statement (``YYERROR``) raises ``RuleFailure``
  after its own message, and is recovered from the same way, silently;
- as in yacc, after an error three tokens must be read without error
  before the next ``syntax error`` is reported (``yyerrflag``), so the
  line after a bad one may fail silently; it still fails the ruleset;
- an error at the end of the text stops the parse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NoReturn, TypeVar

from kleene.backends.sim.pf.lexer import Lexer, Token, TokenKind

# Tokens yacc must shift after an error before it reports the next one.
_RECOVERY_SHIFTS = 3
_T = TypeVar("_T")


class SyntaxFailure(Exception):
    """A token that the grammar cannot accept where it stands."""

    def __init__(self, token: Token) -> None:
        super().__init__(token.text)
        self.token = token


class RuleFailure(Exception):
    """A statement refused by its action after it reported why (YYERROR)."""


class TokenStream:
    """Hand tokens to the grammar and collect pfctl's messages."""

    def __init__(self, text: str, source: str, macros: Mapping[str, str]) -> None:
        self.source = source
        self.messages: list[str] = []
        self.failed = False
        self._lexer = Lexer(text, macros, self.error)
        self._lookahead: Token | None = None
        self._last = Token(TokenKind.NEWLINE, "\n", 1)
        self._errflag = 0

    @property
    def line(self) -> int:
        """Return the line of the last token read (yacc's ``yylval.lineno``)."""
        return self._last.line

    def error(self, line: int, message: str) -> None:
        """Report an error on a line of the source."""
        self.messages.append(f"{self.source}:{line}: {message}")
        self.failed = True

    def note(self, message: str) -> None:
        """Print a line without the source prefix."""
        self.messages.append(message)

    def peek(self) -> Token:
        """Return the next token without consuming it."""
        if self._lookahead is None:
            self._lookahead = self._lexer.next_token()
        return self._lookahead

    def take(self) -> Token:
        """Consume the next token (a yacc shift)."""
        token = self.peek()
        self._lookahead = None
        self._last = token
        if self._errflag:
            self._errflag -= 1
        return token

    def keyword(self, *words: str) -> Token | None:
        """Consume the next token if it is one of these keywords."""
        return self.take() if self.peek().is_keyword(*words) else None

    def char(self, char: str) -> Token | None:
        """Consume the next token if it is this character."""
        return self.take() if self.peek().is_char(char) else None

    def kind(self, kind: TokenKind) -> Token | None:
        """Consume the next token if it is of this kind."""
        return self.take() if self.peek().kind is kind else None

    def expect_keyword(self, *words: str) -> Token:
        """Consume one of these keywords or fail."""
        return self.keyword(*words) or self.fail()

    def expect_char(self, char: str) -> Token:
        """Consume this character or fail."""
        return self.char(char) or self.fail()

    def expect(self, kind: TokenKind) -> Token:
        """Consume a token of this kind or fail."""
        return self.kind(kind) or self.fail()

    def newlines(self) -> None:
        """Consume any newlines (pf's ``optnl`` inside braces)."""
        while self.kind(TokenKind.NEWLINE):
            pass

    def braced(self, item: Callable[[TokenStream], _T]) -> tuple[_T, ...]:
        """Read the items of a ``{...}`` list whose ``{`` was just read."""
        self.newlines()
        items = [item(self)]
        self.newlines()
        while not self.char("}"):
            self.char(",")
            items.append(item(self))
            self.newlines()
        return tuple(items)

    def fail(self) -> NoReturn:
        """Refuse the next token."""
        raise SyntaxFailure(self.peek())

    def refuse(self, message: str) -> NoReturn:
        """Report why the statement is refused, then refuse it (YYERROR)."""
        self.error(self.line, message)
        raise RuleFailure(message)

    def recover(self, failure: SyntaxFailure | RuleFailure) -> bool:
        """Skip the rest of a failed statement; False at the end of the text."""
        self.failed = True
        if isinstance(failure, SyntaxFailure) and not self._errflag:
            self.error(failure.token.line, "syntax error")
        self._errflag = _RECOVERY_SHIFTS
        while True:
            token = self.peek()
            if token.kind is TokenKind.EOF:
                return False
            if token.kind is TokenKind.NEWLINE:
                self.take()
                return True
            self._lookahead = None
