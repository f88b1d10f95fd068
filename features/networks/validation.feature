@sim @freebsd
Feature: Invalid network input is refused and changes nothing
  Every invalid value gets one line on stderr naming the value and the fix,
  exit status 1, and leaves the store and the host as they were.

  Background:
    Given a fresh host

  Scenario Outline: Invalid values are reported in one line
    When I run "klee network create <options>"
    Then it fails with "<message>"
    When I run "klee network ls -q"
    Then the output is empty
    When I run "klee host ifconfig kleene0"
    Then the exit status is 1

    Examples:
      | options                                                | message                                                                       |
      | bad/name                                               | invalid network name 'bad/name': must match [a-zA-Z0-9][a-zA-Z0-9_.-]*        |
      | -- -dash                                               | invalid network name '-dash': must match [a-zA-Z0-9][a-zA-Z0-9_.-]*           |
      | -i averyveryverylongname n                             | invalid interface name 'averyveryverylongname': longer than 15 characters     |
      | -t bridge --subnet 172.18.0.0-16 n                     | invalid subnet: could not parse cidr block: "172.18.0.0-16"                   |
      | --subnet 172.19.1.5/24 n                               | invalid subnet: could not parse cidr block: "172.19.1.5/24"                   |
      | --subnet 10.0.0.0/33 n                                 | invalid subnet: could not parse cidr block: "10.0.0.0/33"                     |
      | --subnet6 10.1.2.0/24 n                                | invalid subnet6: wrong IP protocol                                            |
      | --subnet beef:beef::/64 n                              | invalid subnet: wrong IP protocol                                             |
      | --subnet6 fdef::1/48 n                                 | invalid subnet6: could not parse cidr block: "fdef::1/48"                     |
      | -t bridge --subnet 10.1.2.0/24 --gw beef:beef::1 n     | invalid gateway: wrong IP protocol                                            |
      | -t bridge --subnet 10.1.2.0/24 --gw 10.1.2.x n         | invalid gateway: could not parse cidr block: "10.1.2.x"                       |
      | -t bridge --subnet6 fd00::/64 --gw6 10.1.2.1 n         | invalid gateway6: wrong IP protocol                                           |
      | -t custom n                                            | a custom network needs an existing interface (--interface)                   |
      | -t custom -i em7 n                                     | interface 'em7' does not exist                                                |
      | -i em0 n                                               | interface 'em0' already exists; use '--type custom' to build a network on it |

  Scenario: An invalid type is a usage error
    When I run "klee network create -t lolnet n"
    Then the exit status is 2
    And stderr contains "'lolnet' is not one of"

  Scenario: A name is taken once
    Given I ran "klee network create testnet"
    When I run "klee network create testnet"
    Then it fails with "network name is already taken"

  Scenario: Overlapping subnets are refused
    Given I ran "klee network create --subnet 10.20.0.0/16 wide"
    When I run "klee network create --subnet 10.20.30.0/24 narrow"
    Then it fails with "invalid subnet: 10.20.30.0/24 overlaps with network 'wide' (10.20.0.0/16)"

  Scenario: Overlapping IPv6 subnets are refused
    Given I ran "klee network create --subnet6 fdef:1234::/32 wide"
    When I run "klee network create --subnet6 fdef:1234:5678::/48 narrow"
    Then it fails with "invalid subnet6: fdef:1234:5678::/48 overlaps with network 'wide' (fdef:1234::/32)"

  Scenario: An interface backs one network only
    Given I ran "klee network create -t custom -i em0 --subnet 10.0.2.0/24 outside"
    When I run "klee network create -t custom -i em0 other"
    Then it fails with "interface 'em0' is already used by network 'outside'"

  Scenario: An interface kleene did not create is not taken over
    Given I ran "klee host ifconfig lo create name kleene0"
    When I run "klee network create -i kleene0 n"
    Then it fails with "interface 'kleene0' already exists; use '--type custom' to build a network on it"

  Scenario: A broken pf template rolls the network back
    Given the pf template has "this is not pf" after the filtering marker
    When I run "klee network create --subnet 10.9.0.0/24 n"
    Then it fails with:
      """
      could not load the pf ruleset; the change was rolled back
      stdin:15: syntax error
      pfctl: Syntax error in config file: pf rules not loaded
      """
    When I run "klee network ls -q"
    Then the output is empty
    When I run "klee host ifconfig kleene0"
    Then the exit status is 1
    When I run "klee host cat /etc/pf.conf"
    Then the exit status is 1

  Scenario: A missing configuration file is reported
    When I run "klee --config /nonexistent/kleene.toml network create n"
    Then it fails with "invalid configuration file /nonexistent/kleene.toml: file not found"
