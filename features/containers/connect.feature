@sim @freebsd
Feature: Connecting and disconnecting containers
  Each driver joins the network types it can; ipnet containers join and leave
  while running, vnet containers join only while stopped.

  Background:
    Given a fresh host

  Scenario Outline: vnet containers join bridges only
    Given I ran "<setup>"
    And I ran "klee create -l vnet --name vbox FreeBSD"
    When I run "klee network connect n vbox"
    Then it fails with "containers using the 'vnet' network-driver can't connect to <type> networks"

    Examples:
      | setup                                                       | type     |
      | klee network create --subnet 10.9.0.0/24 n                  | loopback |
      | klee network create -t custom -i em0 --subnet 10.0.2.0/24 n | custom   |

  Scenario: A running vnet container cannot join a network
    Given I ran "klee network create -t bridge --subnet 10.9.0.0/24 n"
    And I ran "klee network create -t bridge --subnet 10.10.0.0/24 m"
    And I ran "klee run -d -l vnet -n n --name vbox FreeBSD sleep 100"
    When I run "klee network connect m vbox"
    Then it fails with "cannot connect a running vnet container to a network"

  Scenario: Connect twice, disconnect twice
    Given I ran "klee network create --subnet 10.9.0.0/24 n"
    And I ran "klee create -l ipnet --name box FreeBSD"
    And I ran "klee network connect n box"
    When I run "klee network connect n box"
    Then it fails with "container already connected to the network"
    When I run "klee network disconnect n box"
    Then the output is empty
    When I run "klee network disconnect n box"
    Then it fails with "endpoint configuration not found"

  Scenario: Unknown objects are reported without a traceback
    Given I ran "klee network create n"
    When I run "klee network disconnect n nosuch"
    Then it fails with "container not found"
    When I run "klee network connect nosuch nosuch"
    Then it fails with "container not found"

  Scenario: A failed connect at creation keeps the container
    When I run "klee create --name invalid_network --network nonexisting FreeBSD /bin/ls"
    Then the exit status is 1
    And stderr is "could not connect container: network not found"
    And the output is an id
    When I run "klee isc invalid_network"
    Then it succeeds

  Scenario: A running ipnet container joins and leaves a network
    Given I ran "klee network create --subnet 10.13.37.0/24 test-ipnet"
    And I ran "klee run --name disconn_ipnet -d -l ipnet FreeBSD sleep 10"
    When I run "klee network connect test-ipnet disconn_ipnet"
    Then the output is empty
    When I run "klee exec disconn_ipnet ifconfig"
    Then the output contains "inet 10.13.37.1 netmask 0xffffffff"
    When I run "klee network disconnect test-ipnet disconn_ipnet"
    And I run "klee exec disconn_ipnet ifconfig"
    Then the output does not contain "10.13.37.1"
    When I run "klee host ifconfig kleene0"
    Then the output does not contain "10.13.37.1"

  Scenario: A running vnet container loses its epair on disconnect
    Given I ran "klee network create -t bridge --subnet 10.13.37.0/24 test-vnet"
    And I ran "klee run --name disconn_vnet -n test-vnet -d -l vnet FreeBSD sleep 10"
    When I run "klee exec disconn_vnet ifconfig epair0b"
    Then the output contains "inet 10.13.37.2 netmask 0xffffff00"
    When I run "klee network disconnect test-vnet disconn_vnet"
    And I run "klee exec disconn_vnet ifconfig epair0b"
    Then the output includes:
      """
      ifconfig: interface epair0b does not exist

      <E> has exited with exit-code 1
      """
    When I run "klee host ifconfig epair0a"
    Then the exit status is 1

  Scenario: Removing a network disconnects everything first
    Given I ran "klee network create -t bridge --subnet 10.13.37.0/24 testnet" and remembered the output as <N>
    And I ran "klee run -d -l ipnet -n testnet --name running FreeBSD sleep 100"
    And I ran "klee create -l ipnet -n testnet --name stopped FreeBSD"
    And I ran "klee run -d -l vnet -n testnet --name vnet FreeBSD sleep 100"
    When I run "klee rmn testnet"
    Then the output is "<N>"
    When I run "klee host ifconfig"
    Then the output does not contain "10.13.37"
    And the output does not contain "epair0a"
    When I run "klee isc running"
    Then the JSON output has "container_endpoints" equal to []
    When I run "klee isc vnet"
    Then the JSON output has "container_endpoints" equal to []
