"""Published-port syntax and validation (SPEC §4.13)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kleene.errors import ValidationError
from kleene.ports import PortSpec, parse_publish, validate_port_numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8080", PortSpec((), "8080", "8080", "tcp")),
        ("8080:80", PortSpec((), "8080", "80", "tcp")),
        ("em1:8080:80", PortSpec(("em1",), "8080", "80", "tcp")),
        ("8080:80/udp", PortSpec((), "8080", "80", "udp")),
        ("8080:80/tcp", PortSpec((), "8080", "80", "tcp")),
        ("5000-6000:4000", PortSpec((), "5000:6000", "4000:*", "tcp")),
        ("5000-6000", PortSpec((), "5000:6000", "5000:*", "tcp")),
        ("em0:8080-8090:80/udp", PortSpec(("em0",), "8080:8090", "80:*", "udp")),
    ],
)
def test_publish_forms_give_the_stored_form(raw: str, expected: PortSpec) -> None:
    assert parse_publish(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["80/tcp/udp", "a:b:c:d", "1-2-3:80", "8080:80-90", "8080/sctp", "8080:80/"],
)
def test_bad_syntax_is_reported_with_the_raw_value(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_publish(raw)
    assert str(caught.value) == f"could not decode port to publish: {raw}"


@pytest.mark.parametrize("raw", ["65536", "-1:80", "+80", "8080:x", "90-80", "٣"])
def test_out_of_range_or_non_decimal_ports_are_refused(raw: str) -> None:
    try:
        spec = parse_publish(raw)
    except ValidationError:
        return  # refused by the syntax already
    with pytest.raises(ValidationError, match=r"invalid port value \(should be"):
        validate_port_numbers(spec)


@given(st.integers(0, 65535), st.integers(0, 65535))
def test_every_valid_pair_is_accepted(host: int, container: int) -> None:
    validate_port_numbers(parse_publish(f"{host}:{container}"))
