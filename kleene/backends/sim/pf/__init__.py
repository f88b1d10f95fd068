"""pf.conf in the simulated host: parse, expand and print rulesets (SPEC §7.10).

The pieces, from text to ruleset:

    lexer      characters to tokens, macros expanded (``yylex``)
    stream     tokens for the grammar, pfctl's error messages and recovery
    grammar    statements, ``parse_ruleset`` and ``check``
    options    ``set`` statements and the order of the sections
    addresses  addresses and ports of a rule
    terms      the other pieces: interfaces, protocols, flags, state, pools
    specs      statements as written, their lists unexpanded
    expand     one rule per combination of a statement's lists, numbered
    model      the immutable ruleset the evaluator reads
    show       ``pfctl -s rules``, ``-s nat`` and ``-s states`` lines
    names      keywords, protocol and service names, TCP flags

and, from a packet to pf's decision (SPEC §7.10):

    headers    the fields pf reads from a packet, and its rewrites
    interfaces the interfaces of the moment, ``(if)`` addresses resolved
    match      rules compiled once per loaded text; the rule loop
    translate  ``nat`` and ``rdr`` mappings, ``block return`` answers
    states     the state table: keys, look-up, expiry, JSON round trip
    track      peer states and timeouts of a state
    evaluate   ``evaluate``: states, translation, rules, new states
    runtime    a simulated stack's pf: what the kernel's pf hook calls

``check(text, source)`` returns what pfctl prints for a refused ruleset,
e.g. ``stdin:15: syntax error`` then ``pfctl: Syntax error in config file:
pf rules not loaded``, and nothing for a valid one.

Where this follows pfctl's source rather than an observed FreeBSD 13, and
may differ from it:

- an undefined macro prints ``macro 'x' not defined`` then ``syntax
  error``, and the line after it is skipped unread, as pfctl's
  ``findeol`` and yacc's recovery make it do; after any error, a syntax
  error in the next two tokens is not reported (yacc's ``yyerrflag``);
- a macro's value is not expanded again when used: ``b = "$a"`` leaves
  ``$a`` in the rule (a syntax error); nesting works the documented way,
  ``all = "{" $a $b "}"``;
- the last line needs no newline (newer pfctl fakes one at the end);
- nat, rdr and filter rules are numbered apart, from 0 each, as the
  kernel numbers its rulesets (``pflog``'s ``rule <n>``);
- ``pfctl -s`` prints port names from a short table of FreeBSD's
  ``/etc/services``, and ``port 8080 -> 10.0.0.2 port 80:*`` shows
  ``port 80:57536`` (pfctl's 16-bit arithmetic, kept on purpose).
"""

from kleene.backends.sim.pf.grammar import (
    SYNTAX_ERROR,
    RulesetError,
    check,
    parse_ruleset,
)
from kleene.backends.sim.pf.model import (
    Action,
    AddressFamily,
    AddressSpec,
    AnyAddress,
    BlockPolicy,
    Direction,
    FilterRule,
    HostAddress,
    InterfaceAddress,
    InterfaceMode,
    KeepState,
    Options,
    Peer,
    Pool,
    PoolType,
    PortOp,
    PortSpec,
    Ruleset,
    ScrubRule,
    TcpFlags,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.show import format_nat, format_rules

__all__ = [
    "SYNTAX_ERROR",
    "Action",
    "AddressFamily",
    "AddressSpec",
    "AnyAddress",
    "BlockPolicy",
    "Direction",
    "FilterRule",
    "HostAddress",
    "InterfaceAddress",
    "InterfaceMode",
    "KeepState",
    "Options",
    "Peer",
    "Pool",
    "PoolType",
    "PortOp",
    "PortSpec",
    "Ruleset",
    "RulesetError",
    "ScrubRule",
    "TcpFlags",
    "TranslationKind",
    "TranslationRule",
    "check",
    "format_nat",
    "format_rules",
    "parse_ruleset",
]
