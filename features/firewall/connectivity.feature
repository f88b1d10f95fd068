@sim
Feature: NAT, isolation and internal networks
  pf lets containers reach the outside world through NAT, keeps networks
  apart, and isolates containers of an icc-off network from each other.

  Background:
    Given a fresh host

  Scenario: An ipnet container resolves through NAT
    Given I ran "klee network create --subnet 10.13.37.0/24 test_conn"
    And I ran "klee create -n test_conn -l ipnet FreeBSD /usr/bin/host -t A freebsd.org 1.1.1.1" and remembered the output as <C>
    When I run "klee start <C>"
    Then the output matches:
      """
      created execution instance <E>
      Using domain server:
      Name: 1.1.1.1
      Address: 1.1.1.1#53
      Aliases: 

      freebsd.org has address 96.47.72.84

      executable <E> and its container exited with exit-code 0
      """

  Scenario: A vnet container resolves through its gateway and NAT
    Given I ran "klee network create -t bridge --subnet 10.13.37.0/24 test_conn"
    When I run "klee run -n test_conn -l vnet FreeBSD /usr/bin/host -t A freebsd.org 1.1.1.1"
    Then it succeeds
    And the output line 3 is "add net default: gateway 10.13.37.1"
    And the output contains "freebsd.org has address 96.47.72.84"

  Scenario Outline: Without NAT, or disconnected, or internal, nothing comes back
    Given I ran "klee network create <flags> --subnet 10.13.37.0/24 test_conn"
    And I ran "klee create -n test_conn -l ipnet FreeBSD /usr/bin/host -t A freebsd.org 1.1.1.1" and remembered the output as <C>
    When I run "klee start <C>"
    Then the exit status is 1
    And the output matches:
      """
      created execution instance <E>
      ;; connection timed out; no servers could be reached
      jail: /usr/bin/env /usr/bin/host -t A freebsd.org 1.1.1.1: failed

      executable <E> and its container exited with exit-code 1
      """

    Examples:
      | flags               |
      | --no-nat            |
      | --internal          |
      | --internal --no-nat |

  Scenario: An internal network's blocked packet is logged
    Given I ran "klee network create --internal --subnet 10.13.37.0/24 test_conn"
    When I run "klee run -n test_conn -l ipnet FreeBSD /usr/bin/host -t A freebsd.org 1.1.1.1"
    And I run "klee sim pflog"
    Then the output contains "block out on"
    And the output contains ": 10.13.37.1."
    And the output contains "UDP"

  Scenario Outline: Inter-container connectivity follows icc
    Given I ran "klee network create <flags> --subnet 10.13.37.0/24 n"
    And I ran "klee run -d -l ipnet -n n --name srv FreeBSD nc -l 4000"
    When I run "klee run -l ipnet -n n FreeBSD nc -N -v -w 2 10.13.37.1 4000"
    Then the exit status is <status>
    And the output contains "<line>"

    Examples:
      | flags    | status | line                                                            |
      |          | 0      | Connection to 10.13.37.1 4000 port [tcp/*] succeeded!          |
      | --no-icc | 1      | nc: connect to 10.13.37.1 port 4000 (tcp) failed: Operation timed out |

  Scenario Outline: Networks are kept apart, except through published ports
    Given I ran "klee network create <type> <flags> --subnet 10.13.37.0/24 a"
    And I ran "klee network create <type> <flags> --subnet 10.13.38.0/24 b"
    And I ran "klee run -d -l <driver> -n a <publish> --name srv FreeBSD nc -l 4000"
    When I run "klee run -l <driver> -n b FreeBSD nc -N -v -w 2 10.13.37.<host> 4000"
    Then the exit status is <status>

    Examples:
      | type      | flags    | driver | publish      | host | status |
      |           |          | ipnet  |              | 1    | 1      |
      | -t bridge |          | vnet   |              | 2    | 1      |
      |           |          | ipnet  | -p 4000:4000 | 1    | 0      |
      |           | --no-icc | ipnet  | -p 4000:4000 | 1    | 0      |

  Scenario: An internal network cannot reach a published port elsewhere
    Given I ran "klee network create --subnet 10.13.37.0/24 a"
    And I ran "klee network create --internal --subnet 10.13.38.0/24 b"
    And I ran "klee run -d -l ipnet -n a -p 4000:4000 --name srv FreeBSD nc -l 4000"
    When I run "klee run -l ipnet -n b FreeBSD nc -N -v -w 2 10.13.37.1 4000"
    Then the exit status is 1
    And the output contains "nc: connect to 10.13.37.1 port 4000 (tcp) failed: Permission denied"
    When I run "klee sim pflog"
    Then the output contains "block out on"
    And the output contains "10.13.38.1"

  Scenario: A published port range reaches listeners across the range
    Given I ran "klee network create --subnet 10.13.37.0/24 a"
    And I ran "klee network create --subnet 10.13.38.0/24 b"
    And I ran "klee run -d -l ipnet -n a -p 5000-6000:4000 --name srv FreeBSD nc -l -k 4000"
    And I ran "klee exec -d srv nc -l -k 4500"
    And I ran "klee exec -d srv nc -l -k 5000"
    When I run "klee run -l ipnet -n b FreeBSD nc -z -v -w 2 10.13.37.1 4500"
    Then it succeeds
    When I run "klee run -l ipnet -n b FreeBSD nc -z -v -w 2 10.13.37.1 5000"
    Then it succeeds
    When I run "klee run -l ipnet -n b FreeBSD nc -z -v -w 2 10.13.37.1 4000"
    Then it succeeds

  Scenario: An icc-off bridge isolates its containers but they still go out through the gateway
    Given I ran "klee network create -t bridge --no-icc --subnet 10.13.37.0/24 n"
    And I ran "klee run -d -l vnet -n n --name srv FreeBSD nc -l 4000"
    When I run "klee run -l vnet -n n FreeBSD nc -N -v -w 2 10.13.37.2 4000"
    Then the exit status is 1
    And the output contains "nc: connect to 10.13.37.2 port 4000 (tcp) failed: Operation timed out"
    When I run "klee run -l vnet -n n FreeBSD /usr/bin/host -t A freebsd.org 1.1.1.1"
    Then it succeeds
    And the output contains "freebsd.org has address 96.47.72.84"
