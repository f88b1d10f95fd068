"""What pfctl prints for a pf.conf it refuses (SPEC §7.10, §10.13).

Every refusal ends with pfctl's own line; ``errors`` strips it after
checking it is there, so each test states only the messages.
"""

from __future__ import annotations

import pytest

from kleene import pf as renderer
from kleene.backends.sim.kernel import pf as kernel_pf
from kleene.backends.sim.pf import SYNTAX_ERROR, RulesetError, check, parse_ruleset

ORDER = (
    "Rules must be in order: options, normalization, queueing, translation, filtering"
)


def errors(text: str, source: str = "stdin") -> list[str]:
    lines = check(text, source)
    assert lines[-1] == SYNTAX_ERROR
    return lines[:-1]


def test_valid_text_has_no_errors() -> None:
    assert check("pass all\n", "stdin") == []


def test_garbage_line_is_a_syntax_error_on_its_line() -> None:
    assert errors("pass all\nthis is not pf\n") == ["stdin:2: syntax error"]


def test_file_name_prefixes_the_message() -> None:
    assert errors("bogus\n", "/etc/pf.conf") == ["/etc/pf.conf:1: syntax error"]


def test_check_ruleset_of_the_kernel_returns_the_lines_to_print() -> None:
    assert kernel_pf.check_ruleset("this is not pf\n", "stdin") == [
        "stdin:1: syntax error",
        SYNTAX_ERROR,
    ]
    assert kernel_pf.check_ruleset("pass all\n", "stdin") == []


def test_parse_ruleset_raises_with_the_lines_to_print() -> None:
    with pytest.raises(RulesetError) as caught:
        parse_ruleset("this is not pf\n", "stdin")

    assert caught.value.lines == ("stdin:1: syntax error", SYNTAX_ERROR)


def test_corrupted_built_in_template_fails_on_line_15() -> None:
    template = renderer.default_template().replace(
        "<%= kleene_filtering %>\n", "<%= kleene_filtering %>\nthis is not pf\n"
    )
    text = renderer.render(template, renderer.PfInputs(host_gateway="em0"))

    assert check(text, "stdin") == ["stdin:15: syntax error", SYNTAX_ERROR]


def test_line_numbers_count_continued_lines() -> None:
    text = "pass \\\n  on em0 \\\n  all\nbogus\n"

    assert errors(text) == ["stdin:4: syntax error"]


def test_error_is_reported_on_the_line_of_the_bad_token() -> None:
    assert errors("pass on em0 \\\n  from here\n") == [
        "no IP address found for here",
        "stdin:2: could not parse host specification",
    ]


def test_undefined_macro_is_named_then_a_syntax_error() -> None:
    assert errors("pass on $nope all\n") == [
        "stdin:1: macro 'nope' not defined",
        "stdin:1: syntax error",
    ]


def test_macro_defined_after_use_is_undefined() -> None:
    text = 'pass on $ext_if all\next_if = "em0"\n'

    assert errors(text)[0] == "stdin:1: macro 'ext_if' not defined"


def test_undefined_macro_swallows_the_next_line_as_pfctl_does() -> None:
    text = "pass on $nope all\nthis is not pf\npass all\nbogus here\n"

    assert errors(text) == [
        "stdin:1: macro 'nope' not defined",
        "stdin:1: syntax error",
        "stdin:4: syntax error",
    ]


def test_macro_value_is_not_expanded_again() -> None:
    text = 'a = "em0"\nb = "$a"\npass on $b all\n'

    assert errors(text) == ["stdin:3: syntax error"]


def test_keyword_cannot_name_a_macro() -> None:
    assert errors('pass = "em0"\n') == ["stdin:1: syntax error"]


def test_unterminated_quote_reaches_the_end_of_the_file() -> None:
    assert errors('a = "em0\npass all\n') == [
        "stdin:1: reached end of file while parsing quoted string",
        "stdin:1: syntax error",
    ]


def test_syntax_error_right_after_another_is_not_reported() -> None:
    assert errors("bogus line\nbogus line\n") == ["stdin:1: syntax error"]


def test_syntax_error_three_tokens_later_is_reported() -> None:
    text = "bogus line\n\n\nbogus line\n"

    assert errors(text) == ["stdin:1: syntax error", "stdin:4: syntax error"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("pass all\nset block-policy drop\n", 2),
        ("pass all\nnat on em0 from any to any -> (em0)\n", 2),
        ("nat on em0 from any to any -> (em0)\nscrub in all\n", 2),
        ("scrub in all\nset loginterface em0\n", 2),
        ("block all\n\nrdr on em0 proto tcp to port 80 -> 10.0.0.1\n", 3),
    ],
)
def test_statements_out_of_order_are_refused(text: str, line: int) -> None:
    assert errors(text) == [f"stdin:{line}: {ORDER}"]


def test_order_error_names_the_last_line_of_a_continued_rule() -> None:
    text = "pass all\nnat on em0 \\\n  from any to any -> (em0)\n"

    assert errors(text) == [f"stdin:3: {ORDER}"]


def test_macros_and_skip_may_come_anywhere() -> None:
    text = 'pass all\nif = "em0"\nset skip on lo0\npass on $if all\n'

    assert check(text, "stdin") == []


def test_require_order_no_lifts_the_order() -> None:
    text = "set require-order no\npass all\nnat on em0 all -> (em0)\n"

    assert check(text, "stdin") == []


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("pass proto foo all\n", ["stdin:1: unknown protocol foo"]),
        ("pass proto 0 all\n", ["stdin:1: proto 0 cannot be used"]),
        ("pass proto tcp to port bar\n", ["stdin:1: unknown port bar"]),
        ("pass proto tcp to port 70000\n", ["stdin:1: illegal port value 70000"]),
        ("pass proto udp all flags S/SA\n", ["stdin:1: flags only apply to tcp"]),
        ("pass all flags SA/S\n", ["stdin:1: flags always false"]),
        ("pass all flags X/SA\n", ["stdin:1: bad flags X"]),
        ("pass on averyveryverylong0 all\n", ["stdin:1: interface name too long"]),
        ("pass from (0em)\n", ["stdin:1: invalid interface name '0em'"]),
        ("pass from (em0:x)\n", ["stdin:1: interface em0:x has bad modifier"]),
        ("scrub in quick all\n", ["stdin:1: scrub rules do not support 'quick'"]),
        ("set optimization fast\n", ["stdin:1: unknown optimization fast"]),
        (
            "pass all keep state no state\n",
            ["stdin:1: modulate or keep cannot be redefined"],
        ),
        (
            "nat on em0 from any to any\n",
            ["stdin:1: translation rule requires '-> address'"],
        ),
        (
            "nat on em0 from any to any -> (em0) random\n",
            [
                "stdin:1: interface (em0) is only supported in round-robin"
                " redirection pools"
            ],
        ),
    ],
)
def test_refused_values_name_the_problem(text: str, messages: list[str]) -> None:
    assert errors(text) == messages


def test_address_without_an_ip_is_refused() -> None:
    assert errors("pass from em0\n") == [
        "no IP address found for em0",
        "stdin:1: could not parse host specification",
    ]


def test_bad_netmask_is_refused() -> None:
    assert errors("pass from 10.0.0.0/200\n") == [
        "invalid netmask '/200'",
        "stdin:1: could not parse host specification",
    ]


def test_port_without_tcp_or_udp_skips_every_expanded_rule() -> None:
    assert errors("pass proto {tcp icmp} to port 80\nblock to port 22\n") == [
        "stdin:1: port only applies to tcp/udp",
        "stdin:1: skipping rule due to errors",
        "stdin:2: port only applies to tcp/udp",
        "stdin:2: skipping rule due to errors",
        "stdin:2: rule expands to no valid combination",
    ]


def test_rule_whose_families_never_agree_expands_to_nothing() -> None:
    assert errors("pass inet from fd00::1\n") == [
        "stdin:1: rule expands to no valid combination"
    ]


def test_keep_state_on_block_is_refused() -> None:
    assert errors("block all keep state\n") == [
        "stdin:1: keep state on block rules doesn't make sense",
        "stdin:1: skipping rule due to errors",
        "stdin:1: rule expands to no valid combination",
    ]


def test_carriage_return_is_a_syntax_error() -> None:
    assert errors("pass all\r\n") == ["stdin:1: syntax error"]


def test_trailing_comma_before_a_newline_in_a_list_is_refused() -> None:
    assert errors("pass on {em0,\n em1} all\n") == ["stdin:1: syntax error"]
