"""pf.conf statements, read in order into a ``Ruleset`` (pfctl's parse.y).

The statements understood, one per line (a ``\\`` at the end of a line
continues it; lists in braces may also span lines):

- ``name = value ...``: a macro (the words joined by spaces); a value
  quoted is taken as is, ``$other`` outside quotes is expanded now, so a
  macro must be defined before it is used;
- ``set block-policy drop|return``, ``set skip on IF|{...}``,
  ``set require-order yes|no``, ``set loginterface IF``,
  ``set optimization NAME``, ``set state-policy if-bound|floating``;
- ``scrub [in|out] [log] [on IFS] [inet|inet6] [proto P] FROMTO [OPTS]``,
  accepted and kept, but with no effect on packets;
- ``nat|rdr [pass] [log] [on IFS] [inet|inet6] [proto P] FROMTO -> ADDRS
  [port P[:Q|:*]] [POOL OPTIONS]``;
- ``pass|block [drop|return|return-rst|return-icmp] [in|out] [log [(all)]]
  [quick] [on IFS] [inet|inet6] [proto P] FROMTO [flags F/M|any]
  [no|keep|modulate|synproxy state] [label "x"]``, ``log`` and ``quick``
  in either order.

Anything else pf knows (tables, anchors, antispoof, queues, route-to,
icmp-type ...) is a syntax error here. Statements must come in the order
options, normalization (scrub), translation, filtering, unless ``set
require-order no``; macros may come anywhere.

``parse_ruleset`` returns the ruleset or raises ``RulesetError`` whose
``lines`` are what pfctl prints: its messages, then ``pfctl: Syntax error
in config file: pf rules not loaded``. ``check`` returns those lines, or
none for a valid text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kleene.backends.sim.pf import addresses, terms
from kleene.backends.sim.pf.expand import (
    expand_filter,
    expand_scrub,
    expand_translation,
    translation_pool,
)
from kleene.backends.sim.pf.lexer import TokenKind
from kleene.backends.sim.pf.model import (
    Action,
    AddressFamily,
    BlockPolicy,
    Direction,
    FilterRule,
    KeepState,
    Options,
    Ruleset,
    ScrubRule,
    TcpFlags,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.names import TCP, parse_tcp_flags
from kleene.backends.sim.pf.options import ORDER_ERROR, Section, set_option
from kleene.backends.sim.pf.specs import (
    FilterSpec,
    Matching,
    ScrubSpec,
    TranslationSpec,
)
from kleene.backends.sim.pf.stream import RuleFailure, SyntaxFailure, TokenStream

SYNTAX_ERROR: Final = "pfctl: Syntax error in config file: pf rules not loaded"
_DEFAULT_FLAGS: Final = TcpFlags(parse_tcp_flags("S") or 0, parse_tcp_flags("SA") or 0)


class RulesetError(Exception):
    """A pf.conf that pfctl refuses; ``lines`` are what pfctl prints."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)


def parse_ruleset(text: str, source: str) -> Ruleset:
    """Parse and expand a pf.conf read from ``source`` (``stdin`` for ``-``)."""
    return _Grammar(text, source).parse()


def check(text: str, source: str) -> list[str]:
    """Return the lines pfctl prints for a pf.conf, none when it is valid."""
    try:
        parse_ruleset(text, source)
    except RulesetError as error:
        return list(error.lines)
    return []


class _Grammar:
    """One pass over a pf.conf, with pfctl's parser state."""

    def __init__(self, text: str, source: str) -> None:
        self.macros: dict[str, str] = {}
        self.s = TokenStream(text, source, self.macros)
        self.options = Options()
        self.section = Section.NONE
        self.scrub: list[ScrubRule] = []
        self.nat: list[TranslationRule] = []
        self.rdr: list[TranslationRule] = []
        self.filter: list[FilterRule] = []

    def parse(self) -> Ruleset:
        """Read every statement; raise RulesetError if any failed."""
        while self.s.peek().kind is not TokenKind.EOF:
            try:
                self._statement()
            except (SyntaxFailure, RuleFailure) as failure:
                if not self.s.recover(failure):
                    break
        if self.s.failed:
            raise RulesetError([*self.s.messages, SYNTAX_ERROR])
        return Ruleset(
            options=self.options,
            scrub_rules=tuple(self.scrub),
            nat_rules=tuple(self.nat),
            rdr_rules=tuple(self.rdr),
            filter_rules=tuple(self.filter),
            macros=tuple(self.macros.items()),
        )

    def _statement(self) -> None:
        token = self.s.peek()
        if token.kind is TokenKind.NEWLINE:
            self.s.take()
        elif token.kind is TokenKind.STRING:
            self._macro()
        elif token.is_keyword("set"):
            options = set_option(self.s, self.options, self._order)
            self._end()
            self.options = options
            self.s.take()
        elif token.is_keyword("scrub"):
            self._scrub(token.line)
        elif token.is_keyword("nat", "rdr"):
            self._translation(token.line)
        elif token.is_keyword("pass", "block"):
            self._filter(token.line)
        else:
            self.s.fail()

    def _macro(self) -> None:
        name = self.s.take().text
        self.s.expect_char("=")
        words = [self._word()]
        while self.s.peek().kind in (TokenKind.NUMBER, TokenKind.STRING):
            words.append(self._word())
        self._end()

        if any(c.isspace() for c in name[1:]):
            self.s.refuse("macro name cannot contain whitespace")
        self.macros.pop(name, None)
        self.macros[name] = " ".join(words)
        self.s.take()

    def _word(self) -> str:
        token = self.s.peek()
        if token.kind is TokenKind.NUMBER:
            return str(self.s.take().number)
        return self.s.expect(TokenKind.STRING).text

    def _scrub(self, line: int) -> None:
        self.s.take()
        direction = self._direction()
        log, _, quick = self._log_quick()
        matching = self._matching()
        options = terms.scrub_options(self.s)
        end = self._end()

        self._order(Section.NORMALIZATION)
        if quick:
            self.s.refuse("scrub rules do not support 'quick'")
        if options.reassemble_tcp and direction is not Direction.BOTH:
            self.s.refuse("reassemble tcp rules can not specify direction")
        spec = ScrubSpec(line, direction, log, matching, options)
        self.scrub += expand_scrub(spec, len(self.scrub), self._reporter(end))
        self.s.take()

    def _translation(self, line: int) -> None:
        kind = TranslationKind(self.s.take().text)
        passes = bool(self.s.keyword("pass"))
        log = bool(self.s.keyword("log"))
        matching = self._matching()
        redir = terms.redirection(self.s)
        end = self._end()

        self._order(Section.TRANSLATION)
        af, pool = translation_pool(kind, matching, redir, self.s.refuse)
        spec = TranslationSpec(line, kind, passes, log, matching, af, pool)
        rules = self.nat if kind is TranslationKind.NAT else self.rdr
        rules += expand_translation(spec, len(rules), self._reporter(end))
        self.s.take()

    def _filter(self, line: int) -> None:
        action = Action(self.s.take().text)
        policy = self._block_policy() if action is Action.BLOCK else None
        direction = self._direction()
        log, log_all, quick = self._log_quick()
        matching = self._matching()
        flags, keep, label = terms.filter_options(self.s)
        end = self._end()

        self._order(Section.FILTERING)
        if flags and (flags.flags & flags.mask) != flags.flags:
            self.s.refuse("flags always false")
        protos = matching.protos
        if flags and (flags.flags or flags.mask) and protos and TCP not in protos:
            self.s.refuse("flags only apply to tcp")
        if keep is None:
            keep = KeepState.KEEP if action is Action.PASS else KeepState.NONE
        if flags is None and action is Action.PASS and keep is not KeepState.NONE:
            flags = _DEFAULT_FLAGS
        if flags == TcpFlags(0, 0):
            flags = None

        spec = FilterSpec(
            line=line,
            action=action,
            direction=direction,
            quick=quick,
            log=log,
            log_all=log_all,
            matching=matching,
            block_policy=policy,
            keep_state=keep,
            flags=flags,
            label=label,
        )
        self.filter += expand_filter(spec, len(self.filter), self._reporter(end))
        self.s.take()

    def _block_policy(self) -> BlockPolicy:
        token = self.s.keyword(
            "drop", "return", "return-rst", "return-icmp", "return-icmp6"
        )
        return BlockPolicy(token.text) if token else self.options.block_policy

    def _direction(self) -> Direction:
        token = self.s.keyword("in", "out")
        return Direction(token.text) if token else Direction.BOTH

    def _log_quick(self) -> tuple[bool, bool, bool]:
        log, log_all = terms.log(self.s)
        quick = bool(self.s.keyword("quick"))
        if quick and not log:
            log, log_all = terms.log(self.s)
        return log, log_all, quick

    def _matching(self) -> Matching:
        interfaces = terms.interfaces(self.s)
        family = self.s.keyword("inet", "inet6")
        af = AddressFamily(family.text) if family else None
        protos = terms.protocols(self.s)
        src, dst = addresses.fromto(self.s)
        return Matching(interfaces, af, protos, src, dst)

    def _end(self) -> int:
        token = self.s.peek()
        if token.kind is not TokenKind.NEWLINE:
            self.s.fail()
        return token.line

    def _order(self, section: Section) -> None:
        if self.options.require_order and self.section > section:
            self.s.refuse(ORDER_ERROR)
        self.section = section

    def _reporter(self, line: int) -> Callable[[str], None]:
        return lambda message: self.s.error(line, message)
