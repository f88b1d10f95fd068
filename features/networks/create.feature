@sim @freebsd
Feature: Creating and listing networks
  A network is backed by one host interface: kleene creates a loopback clone
  or a bridge named kleene<N>, or uses an existing interface for a custom
  network.

  Background:
    Given a fresh host

  Scenario: A loopback network prints its id and gets kleene0
    When I run "klee network create --subnet 10.20.30.0/24 testnet"
    Then the output is an id
    And I remember the output as <N>
    When I run "klee network inspect testnet"
    Then the JSON output has "network.interface" equal to "kleene0"
    And the JSON output has "network.type" equal to "loopback"
    And the JSON output has "network.id" equal to "<N>"
    And the JSON output has "network.nat" equal to "em0"
    And the JSON output has "network.gateway" equal to ""

  Scenario: Interfaces are named kleene0, kleene1 and listed in name order
    Given I ran "klee network create -t bridge testnet2" and remembered the output as <B>
    And I ran "klee network create -t bridge testnet1" and remembered the output as <A>
    When I run "klee lsn -q"
    Then the output is:
      """
      <A>
      <B>
      """
    When I run "klee isn testnet2"
    Then the JSON output has "network.interface" equal to "kleene0"
    When I run "klee isn testnet1"
    Then the JSON output has "network.interface" equal to "kleene1"

  Scenario: A removed network's interface name is reused
    Given I ran "klee network create -t bridge testnet1"
    And I ran "klee network create -t bridge testnet2"
    And I ran "klee rmn testnet1"
    When I run "klee network create -t bridge testnet3"
    And I run "klee isn testnet3"
    Then the JSON output has "network.interface" equal to "kleene0"

  Scenario: The table lists networks sorted by name
    Given I ran "klee network create --subnet 10.20.30.0/24 testnet" and remembered the output as <T>
    And I ran "klee network create -t bridge --subnet 10.2.3.0/24 mynet" and remembered the output as <M>
    When I run "klee network ls"
    Then the output is:
      """
       ID             NAME      TYPE       SUBNET
      ───────────────────────────────────────────────────
       <M>   mynet     bridge     10.2.3.0/24
       <T>   testnet   loopback   10.20.30.0/24
      """

  Scenario: An empty list shows the header and the rule
    When I run "klee network ls"
    Then the output is:
      """
       ID   NAME   TYPE   SUBNET
      ───────────────────────────
      """

  Scenario: The JSON list has the inspect objects
    Given I ran "klee network create --subnet 10.20.30.0/24 testnet"
    When I run "klee network ls --json"
    Then the JSON output has "0.name" equal to "testnet"
    And the JSON output has "0.subnet" equal to "10.20.30.0/24"
    And the JSON output has "0.icc" equal to true

  Scenario: Quiet and JSON together are a usage error
    When I run "klee network ls -q --json"
    Then the exit status is 2

  Scenario: A bridge with automatic gateways carries them
    When I run "klee network create -t bridge --subnet 172.19.1.0/24 --subnet6 fdef:1234:5678::/48 dual"
    Then the output is an id
    When I run "klee host ifconfig kleene0"
    Then the output contains "inet 172.19.1.1 netmask 0xffffff00 broadcast 172.19.1.255"
    And the output contains "inet6 fdef:1234:5678::1 prefixlen 48"
    When I run "klee isn dual"
    Then the JSON output has "network.gateway" equal to "<auto>"
    And the JSON output has "network.gateway6" equal to "<auto>"

  Scenario: A manual gateway is stored but not configured on the bridge
    When I run "klee network create -t bridge --subnet 172.19.1.0/24 --gw 172.19.1.99 manual"
    Then the output is an id
    When I run "klee host ifconfig kleene0"
    Then the output does not contain "inet 172.19.1"
    When I run "klee isn manual"
    Then the JSON output has "network.gateway" equal to "172.19.1.99"

  Scenario: Loopback networks never store a gateway
    When I run "klee network create --subnet 10.1.0.0/24 --gw 10.1.0.1 lo-net"
    And I run "klee isn lo-net"
    Then the JSON output has "network.gateway" equal to ""
    And the JSON output has "network.gateway6" equal to ""

  Scenario: The interface is tagged and up
    Given I ran "klee network create --subnet 10.2.3.0/24 testnet" and remembered the output as <N>
    When I run "klee host ifconfig kleene0"
    Then the output is:
      """
      kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
              description: kleene:<N>
              options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
              inet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5
              groups: lo
              nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
      """

  Scenario: An internal network is recorded as internal
    When I run "klee network create --internal --subnet 10.13.38.0/24 n"
    And I run "klee isn n"
    Then the JSON output has "network.internal" equal to true

  Scenario Outline: NAT and icc take a value after an equals sign
    When I run "klee network create <flags> --subnet 10.13.38.0/24 n"
    And I run "klee isn n"
    Then the JSON output has "network.nat" equal to <nat>
    And the JSON output has "network.icc" equal to <icc>

    Examples:
      | flags                   | nat   | icc   |
      | --nat=false             | ""    | true  |
      | --nat=YES --icc=off     | "em0" | false |
      | --no-nat --no-icc       | ""    | false |
      | --nat-if em1            | "em1" | true  |
      | --no-nat --nat-if em1   | ""    | true  |
      | --nat --icc             | "em0" | true  |

  Scenario: A separate value after --nat is a usage error
    When I run "klee network create --nat false testnet"
    Then the exit status is 2

  Scenario: An invalid boolean names the value
    When I run "klee network create --icc=maybe testnet"
    Then the exit status is 2
    And stderr contains "'maybe' is not a valid boolean"

  Scenario: A custom network uses an existing interface and leaves it alone
    Given I ran "klee host ifconfig lo create name kleene0"
    When I run "klee network create -t custom -i kleene0 --subnet 172.19.3.0/24 c"
    Then the output is an id
    When I run "klee rmn c"
    Then it succeeds
    When I run "klee host ifconfig kleene0"
    Then it succeeds
    And the output does not contain "description"

  Scenario: Automatic naming skips interfaces that exist on the host
    Given I ran "klee host ifconfig lo create name kleene0"
    When I run "klee network create n"
    And I run "klee isn n"
    Then the JSON output has "network.interface" equal to "kleene1"

  Scenario: The first mutating command enables forwarding and pf
    Given I ran "klee network create n"
    When I run "klee host sysctl net.inet.ip.forwarding net.inet6.ip6.forwarding"
    Then the output is:
      """
      net.inet.ip.forwarding: 1
      net.inet6.ip6.forwarding: 1
      """
    When I run "klee host pfctl -s info"
    Then the output contains "Status: Enabled"

  Scenario: The rendered ruleset is loaded into /etc/pf.conf
    Given I ran "klee network create --subnet 10.13.37.0/24 n" and remembered the output as <N>
    When I run "klee host cat /etc/pf.conf"
    Then the output contains "kleenet_<N>_interface="kleene0""
    And the output contains "nat on $kleenet_<N>_nat_if from ($kleenet_<N>_interface:network) to any -> ($kleenet_<N>_nat_if)"
    And the output contains "block in log from any to $kleenet_<N>_subnet"

  @sim
  Scenario: Without a default route a network is created without NAT
    Given I ran "klee host route delete default"
    When I run "klee network create --subnet 10.13.37.0/24 n"
    Then the output is an id
    And stderr is "warning: no host gateway detected; network 'n' is created without NAT"
    When I run "klee isn n"
    Then the JSON output has "network.nat" equal to ""
    When I run "klee host cat /etc/pf.conf"
    Then the output does not contain "kleenet_host_gw_if"

  Scenario: A dry run prints the plan and changes nothing
    Given I ran "klee network create n"
    When I run "klee --dry-run network create -t bridge --subnet 10.99.0.0/24 dry"
    Then it succeeds
    And the output contains "+ /sbin/ifconfig bridge create name kleene1"
    And the output contains "+ /sbin/ifconfig kleene1 inet 10.99.0.1/24 alias"
    And the output contains "+ /sbin/pfctl -n -f - <<EOF"
    And the output contains "+ /sbin/pfctl -f /etc/pf.conf"
    And the output does not contain "sysctl net.link.bridge.pfil_bridge=1"
    When I run "klee network ls -q"
    Then the output has 1 lines
    When I run "klee host ifconfig kleene1"
    Then the exit status is 1
