@sim @freebsd
Feature: ipnet containers share the host stack with their own addresses
  An ipnet container sees every host interface but only its own addresses,
  which are aliases on the network interface while it runs.

  Background:
    Given a fresh host
    And I ran "klee network create --subnet 10.2.3.0/24 testnet" and remembered the output as <N>

  @sim
  Scenario: An ipnet container sees only its own address
    When I run "klee run -l ipnet -n testnet FreeBSD ifconfig"
    Then the output matches:
      """
      <C1>
      created execution instance <E1>
      em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
              options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
              ether 08:00:27:b2:00:96
              media: Ethernet autoselect (1000baseT <full-duplex>)
              status: active
      lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
              options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
              groups: lo
      pflog0: flags=0<> metric 0 mtu 33160
              groups: pflog
      kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
              description: kleene:<N>
              options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
              inet 10.2.3.1 netmask 0xffffffff
              groups: lo

      executable <E1> and its container exited with exit-code 0
      """
    When I run "klee host ifconfig kleene0"
    Then the output does not contain "10.2.3.1"

  Scenario: The IPNet walk-through
    Given I ran "klee run -l ipnet -n testnet FreeBSD ifconfig"
    When I run "klee run -l ipnet -n testnet FreeBSD host freebsd.org"
    Then the output matches:
      """
      <C2>
      created execution instance <E2>
      freebsd.org has address 96.47.72.84
      freebsd.org has IPv6 address 2610:1c1:1:606c::50:15
      freebsd.org mail is handled by 10 mx1.freebsd.org.
      freebsd.org mail is handled by 30 mx66.freebsd.org.

      executable <E2> and its container exited with exit-code 0
      """
    When I run "klee container inspect <C2>"
    Then the JSON output has "container.network_driver" equal to "ipnet"
    And the JSON output has "container.cmd" equal to ["host", "freebsd.org"]
    And the JSON output has "container_endpoints.0.ip_address" equal to "10.2.3.2"
    And the JSON output has "container_endpoints.0.ip_address6" equal to ""
    And the JSON output has "container_endpoints.0.epair" equal to null
    And the JSON output has "container_endpoints.0.mac_address" equal to null
    And the JSON output has "container_endpoints.0.network_id" equal to "<N>"
    And the JSON output has "container_mountpoints" equal to []
    When I run "klee network inspect testnet"
    Then the JSON output has "network_endpoints.0.ip_address" equal to "10.2.3.1"
    And the JSON output has "network_endpoints.1.container_id" equal to "<C2>"
    When I run "klee lsc -a -q"
    Then the output has 2 lines
    And the output line 1 is "<C2>"

  Scenario: Containers keep running after /etc/rc and talk over nc
    Given I ran "klee create --name one -l ipnet -n testnet FreeBSD" and remembered the output as <C1>
    And I ran "klee create --name two -l ipnet -n testnet FreeBSD" and remembered the output as <C2>
    When I run "klee exec two /bin/sh /etc/rc"
    Then the output matches:
      """
      created execution instance <E3>
      Starting syslogd.
      Starting cron.

      <date>

      <E3> has exited with exit-code 0
      """
    When I run "klee exec one /bin/sh /etc/rc"
    Then it succeeds
    When I run "klee lsc"
    Then the output contains "running   1"
    And the output contains "running   2"
    When I run "klee exec two ping -c 1 10.2.3.1"
    Then the exit status is 71
    And the output matches:
      """
      created execution instance <E5>
      ping: ssend socket: Operation not permitted

      <E5> has exited with exit-code 71
      """
    When I start "klee exec one nc -l 4000" in the background
    And I wait until the background command prints "created execution instance"
    And I run "klee exec two /bin/sh -c "echo testing | nc -N -vv 10.2.3.1 4000""
    Then the output matches:
      """
      created execution instance <E7>
      Connection to 10.2.3.1 4000 port [tcp/*] succeeded!

      <E7> has exited with exit-code 0
      """
    When the background command has ended
    Then the output matches:
      """
      created execution instance <E6>
      testing

      <E6> has exited with exit-code 0
      """
    When I run "klee stop one two"
    Then the output is:
      """
      <C1>
      <C2>
      """
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
    When I run "klee isn testnet"
    Then the JSON output has "network_endpoints.0.ip_address" equal to "10.2.3.1"
    And the JSON output has "network_endpoints.1.ip_address" equal to "10.2.3.2"
