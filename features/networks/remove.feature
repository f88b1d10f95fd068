@sim @freebsd
Feature: Removing and pruning networks
  Removing a network disconnects its containers, drops its pf rules and
  destroys the interface kleene created for it.

  Background:
    Given a fresh host

  Scenario: A network is removed once
    Given I ran "klee network create -t bridge --subnet 10.4.6.0/24 X" and remembered the output as <X>
    When I run "klee rmn X"
    Then the output is "<X>"
    When I run "klee rmn X"
    Then it fails with "network not found."
    When I run "klee host ifconfig kleene0"
    Then the exit status is 1

  Scenario: Networks are found by full id, id prefix and name
    Given I ran "klee network create a" and remembered the output as <A>
    And I ran "klee network create b" and remembered the output as <B>
    And I ran "klee network create c" and remembered the output as <C>
    When I run "klee network rm <A>"
    Then the output is "<A>"
    When I run "klee isn c"
    Then it succeeds
    When I run "klee network rm c"
    Then the output is "<C>"
    When I run "klee network ls -q"
    Then the output is "<B>"

  Scenario: Several networks are removed in the order given, stopping at the first error
    Given I ran "klee network create a" and remembered the output as <A>
    And I ran "klee network create b" and remembered the output as <B>
    When I run "klee network rm b nosuch a"
    Then the exit status is 1
    And the output is "<B>"
    And stderr is "network not found."
    When I run "klee network ls -q"
    Then the output is "<A>"

  Scenario: Inspecting an unknown network
    When I run "klee network inspect nosuch"
    Then it fails with "network not found"

  Scenario: Removing a network drops its pf rules
    Given I ran "klee network create --subnet 10.9.0.0/24 n" and remembered the output as <N>
    And I ran "klee rmn n"
    When I run "klee host cat /etc/pf.conf"
    Then the output does not contain "<N>"
    And the output contains "kleenet_network_interfaces="{lo0}""

  Scenario: Prune removes only networks without endpoints
    Given I ran "klee network create a" and remembered the output as <A>
    And I ran "klee network create -t bridge b" and remembered the output as <B>
    When I run "klee network prune -f"
    Then the output is:
      """
      <A>
      <B>
      """
    When I run "klee network ls -q"
    Then the output is empty
    When I run "klee host ifconfig kleene1"
    Then the exit status is 1

  Scenario: Prune asks first and a no keeps everything
    Given I ran "klee network create a" and remembered the output as <A>
    When I run "klee network prune" and answer "n"
    Then the exit status is 1
    And stderr is:
      """
      WARNING! This will remove all unused networks.
      Are you sure you want to continue? [y/N]: Aborted!
      """
    When I run "klee network ls -q"
    Then the output is "<A>"

  Scenario: Prune asks first and a yes proceeds
    Given I ran "klee network create a" and remembered the output as <A>
    When I run "klee network prune" and answer "YES"
    Then the output is "<A>"

  Scenario: Prune with nothing to remove prints an empty line
    When I run "klee network prune -f"
    Then the output is an empty line
