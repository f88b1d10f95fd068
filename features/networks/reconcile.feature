@sim @freebsd
Feature: Reconciliation repairs what drifted from the store
  Every mutating command first compares the host with the store: missing
  interfaces are recreated, kleene's own orphans are removed, and interfaces
  kleene did not create are never touched.

  Background:
    Given a fresh host

  Scenario: A destroyed network interface is recreated with its gateway
    Given I ran "klee network create -t bridge --subnet 10.9.0.0/24 n" and remembered the output as <N>
    And I ran "klee host ifconfig kleene0 destroy"
    When I run "klee network create other"
    Then it succeeds
    When I run "klee host ifconfig kleene0"
    Then the output contains "description: kleene:<N>"
    And the output contains "inet 10.9.0.1 netmask 0xffffff00"

  Scenario: A tagged orphan epair is destroyed
    Given I ran "klee host ifconfig epair create"
    And I ran "klee host ifconfig epair0a description kleene:aaaaaaaaaaaa"
    When I run "klee network create n"
    Then it succeeds
    When I run "klee host ifconfig epair0a"
    Then the exit status is 1
    When I run "klee host ifconfig epair0b"
    Then the exit status is 1

  Scenario: An untagged epair is left alone
    Given I ran "klee host ifconfig epair create"
    When I run "klee network create n"
    Then it succeeds
    When I run "klee host ifconfig epair0a"
    Then it succeeds

  Scenario: A network interface that lost its tag is reported, not touched
    Given I ran "klee network create n"
    And I ran "klee host ifconfig kleene0 -description"
    When I run "klee network create m"
    Then it succeeds
    And stderr is "warning: interface kleene0 of network 'n' is not managed by kleene"
