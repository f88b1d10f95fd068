@sim
Feature: klee doctor reports the host prerequisites
  doctor reads the host and says, per prerequisite, ok or what to run.

  Background:
    Given a fresh host

  Scenario: A fresh simulated host lacks modules, forwarding and pf
    When I run "klee doctor"
    Then the exit status is 1
    And the output includes:
      """
      ok    root privileges
      ok    kernel module pf loaded
      ok    kernel module pflog loaded
      FAIL  kernel module if_bridge loaded: kldload if_bridge
      FAIL  kernel module if_epair loaded: kldload if_epair
      FAIL  net.inet.ip.forwarding is 1 (now 0): sysctl net.inet.ip.forwarding=1
      FAIL  net.inet6.ip6.forwarding is 1 (now 0): sysctl net.inet6.ip6.forwarding=1
      FAIL  net.link.bridge.pfil_bridge is 1 (now missing): sysctl net.link.bridge.pfil_bridge=1
      FAIL  pf enabled: pfctl -e
      """

  Scenario: After the first change everything is in place
    Given I ran "klee network create n"
    When I run "klee doctor"
    Then it succeeds
    And the output does not contain "FAIL"
    And the output line 1 is "backend: sim"
