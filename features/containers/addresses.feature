@sim @freebsd
Feature: Addresses are allocated lowest first and requested ones are checked
  Automatic allocation never hands out the network address, the IPv4
  broadcast address, the gateway or an address in use; freed addresses come
  back first.

  Background:
    Given a fresh host

  Scenario: A /30 has two addresses and the third container is told
    Given I ran "klee network create --subnet 172.19.0.0/30 smallnet"
    And I ran "klee create --name alpha -n smallnet FreeBSD"
    And I ran "klee create --name beta -n smallnet FreeBSD"
    When I run "klee create --name gamma -n smallnet FreeBSD"
    Then the exit status is 1
    And stderr is "could not connect container: no more inet IP's left in the network"
    And the output is an id
    When I run "klee isn smallnet"
    Then the JSON output has "network_endpoints.0.ip_address" equal to "172.19.0.1"
    And the JSON output has "network_endpoints.1.ip_address" equal to "172.19.0.2"
    When I run "klee isc gamma"
    Then the JSON output has "container_endpoints" equal to []

  Scenario Outline: Requested addresses are validated
    Given I ran "<setup>"
    And I ran "klee create -l ipnet --name holder FreeBSD"
    And I ran "klee network connect testnet holder"
    And I ran "klee create -l ipnet --name gamma FreeBSD"
    When I run "klee network connect <flag> testnet gamma"
    Then it fails with "<message>"

    Examples:
      | setup                                                                  | flag                       | message                                                                      |
      | klee network create testnet                                            | --ip 10.56.78.2            | cannot set ip address because there is no IPv4 subnet defined for this network |
      | klee network create testnet                                            | --ip6 fdef:1234:5678::10   | cannot set ip address because there is no IPv6 subnet defined for this network |
      | klee network create --subnet 10.2.3.0/24 testnet                       | --ip 10.9.9.9              | address 10.9.9.9 is outside the subnet 10.2.3.0/24 of network 'testnet'      |
      | klee network create --subnet 10.2.3.0/24 testnet                       | --ip 10.2.3.0              | address 10.2.3.0 is the network address of subnet 10.2.3.0/24                |
      | klee network create --subnet 10.2.3.0/24 testnet                       | --ip 10.2.3.255            | address 10.2.3.255 is the broadcast address of subnet 10.2.3.0/24            |
      | klee network create -t bridge --subnet 10.2.3.0/24 testnet             | --ip 10.2.3.1              | address 10.2.3.1 is the gateway of network 'testnet'                         |
      | klee network create --subnet 10.2.3.0/24 testnet                       | --ip 10.2.3.1              | address 10.2.3.1 is already in use by container 'holder' on network 'testnet' |
      | klee network create --subnet 10.2.3.0/24 testnet                       | --ip 10.2.3.x              | could not parse inet address 10.2.3.x: einval                                |
      | klee network create --subnet6 fd00:1::/64 testnet                      | --ip6 fd00:2::1            | address fd00:2::1 is outside the subnet fd00:1::/64 of network 'testnet'     |
      | klee network create --subnet6 fd00:1::/64 testnet                      | --ip6 10.0.0.1             | could not parse inet6 address 10.0.0.1: einval                               |

  Scenario: A custom network on em0 skips the host's own address
    Given I ran "klee network create -t custom -i em0 --subnet 10.0.2.0/24 outside"
    And I ran "klee create -l ipnet --name gamma FreeBSD"
    When I run "klee network connect --ip 10.0.2.15 outside gamma"
    Then it fails with "address 10.0.2.15 is already in use on interface em0"
    When I run "klee network connect --ip 10.0.2.16 outside gamma"
    Then it succeeds
    Given I ran "klee create -l ipnet --name auto -n outside FreeBSD"
    When I run "klee isc auto"
    Then the JSON output has "container_endpoints.0.ip_address" equal to "10.0.2.1"

  Scenario: Dual-stack bridge: gateways on the bridge, containers from .2
    Given I ran "klee network create -t bridge --subnet 172.19.1.0/24 --subnet6 fdef:1234:5678::/48 dual"
    And I ran "klee create -l ipnet -n dual --name one FreeBSD"
    And I ran "klee create -l vnet -n dual --name two FreeBSD"
    When I run "klee isn dual"
    Then the JSON output has "network_endpoints.0.ip_address" equal to "172.19.1.2"
    And the JSON output has "network_endpoints.0.ip_address6" equal to "fdef:1234:5678::2"
    And the JSON output has "network_endpoints.1.ip_address" equal to "172.19.1.3"
    And the JSON output has "network_endpoints.1.ip_address6" equal to "fdef:1234:5678::3"
    When I run "klee start two"
    Then the output line 2 is "add net default: gateway 172.19.1.1"
    And the output line 3 is "add net default: gateway fdef:1234:5678::1"

  Scenario: Freed addresses are reused
    Given I ran "klee network create --subnet 10.13.37.0/24 testnet"
    And I ran "klee create --name alpha -n testnet FreeBSD" and remembered the output as <A>
    And I ran "klee create --name beta -n testnet FreeBSD"
    And I ran "klee rmc alpha"
    When I run "klee create --name gamma -n testnet FreeBSD"
    And I run "klee isc gamma"
    Then the JSON output has "container_endpoints.0.ip_address" equal to "10.13.37.1"
    When I run "klee network disconnect testnet beta"
    And I run "klee create --name delta -n testnet FreeBSD"
    And I run "klee isc delta"
    Then the JSON output has "container_endpoints.0.ip_address" equal to "10.13.37.2"

  Scenario: A web application's address is freed and handed out again
    Given I ran "klee network create --subnet 10.13.37.0/24 testnet"
    When I run "klee run -n testnet -d webapp"
    Then the output matches:
      """
      <C1>
      created execution instance <E1>
      """
    When I run "klee host jls"
    Then the output matches:
      """
         JID  IP Address      Hostname                      Path
           1  10.13.37.1      <C1>                  /zroot/kleene/container/<C1>
      """
    When I run "klee host nc -v -z -w 2 10.13.37.1 3000"
    Then it succeeds
    When I run "klee run -n testnet -d webapp"
    Then the output matches:
      """
      <C2>
      created execution instance <E2>
      """
    When I run "klee isc <C2>"
    Then the JSON output has "container_endpoints.0.ip_address" equal to "10.13.37.2"
    When I run "klee stop <C1>"
    Then the output is "<C1>"
    When I run "klee rmc <C1>"
    Then the output is "<C1>"
    When I run "klee rmc -f <C2>"
    Then the output is "<C2>"
    When I run "klee run -n testnet -d webapp"
    Then the output matches:
      """
      <C3>
      created execution instance <E3>
      """
    When I run "klee isc <C3>"
    Then the JSON output has "container_endpoints.0.ip_address" equal to "10.13.37.1"
