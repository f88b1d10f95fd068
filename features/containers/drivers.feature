@sim @freebsd
Feature: host and disabled containers
  A host container inherits the host's stack and cannot change it; a
  disabled container sees the interfaces but no address. Neither joins
  networks or publishes ports.

  Background:
    Given a fresh host

  @sim
  Scenario: A host container sees what the host sees
    When I run "klee run FreeBSD ifconfig"
    Then the output matches:
      """
      <C1>
      created execution instance <E1>
      em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
              options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
              ether 08:00:27:b2:00:96
              inet 10.0.2.15 netmask 0xffffff00 broadcast 10.0.2.255
              media: Ethernet autoselect (1000baseT <full-duplex>)
              status: active
              nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
      lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
              options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
              inet6 ::1 prefixlen 128
              inet6 fe80::1%lo0 prefixlen 64 scopeid 0x3
              inet 127.0.0.1 netmask 0xff000000
              groups: lo
              nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
      pflog0: flags=0<> metric 0 mtu 33160
              groups: pflog

      executable <E1> and its container exited with exit-code 0
      """
    When I run "klee isc <C1>"
    Then the JSON output has "container.network_driver" equal to "host"

  Scenario: The default driver without a network is host
    Given I ran "klee create --name DefaultDriverHost FreeBSD:latest"
    And I ran "klee network create --subnet 10.13.37.0/24 testnet"
    And I ran "klee create --name DefaultDriverIpnet --network testnet FreeBSD:latest"
    When I run "klee isc DefaultDriverHost"
    Then the JSON output has "container.network_driver" equal to "host"
    When I run "klee isc DefaultDriverIpnet"
    Then the JSON output has "container.network_driver" equal to "ipnet"

  Scenario: A host container cannot change addresses
    When I run "klee host ifconfig lo0 alias 127.0.0.2"
    Then the output is empty
    When I run "klee run FreeBSD ifconfig lo0 alias 127.0.0.3"
    Then the exit status is 1
    And the output matches:
      """
      <C2>
      created execution instance <E2>
      ifconfig: ioctl (SIOCAIFADDR): permission denied
      jail: /usr/bin/env ifconfig lo0 alias 127.0.0.3: failed

      executable <E2> and its container exited with exit-code 1
      """

  Scenario Outline: Host and disabled containers cannot publish ports
    When I run "klee run <flags> -p 8080 FreeBSD"
    Then it fails with "could not create container: cannot publish ports of a container using the '<driver>' network driver"
    When I run "klee lsc -a -q"
    Then the output is empty

    Examples:
      | flags       | driver   |
      |             | host     |
      | -l disabled | disabled |

  Scenario: Ping from a host container needs raw sockets
    When I run "klee run FreeBSD /sbin/ping -c 1 1.1.1.1"
    Then the exit status is 1
    And the output includes:
      """
      ping: ssend socket: Operation not permitted
      jail: /usr/bin/env /sbin/ping -c 1 1.1.1.1: failed

      executable <E> and its container exited with exit-code 1
      """
    When I run "klee run -J allow.raw_sockets FreeBSD /sbin/ping -c 3 1.1.1.1"
    Then it succeeds
    And the output contains "icmp_seq=2 ttl=63"

  @sim
  Scenario: A disabled container sees interfaces without addresses
    When I run "klee run -l disabled FreeBSD ifconfig"
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

      executable <E1> and its container exited with exit-code 0
      """

  Scenario: A disabled container has no routes
    When I run "klee run -l disabled FreeBSD netstat -rn"
    Then the output matches:
      """
      <C1>
      created execution instance <E1>
      Routing tables

      executable <E1> and its container exited with exit-code 0
      """

  Scenario Outline: Host and disabled containers cannot join networks
    Given I ran "klee network create -t bridge --subnet 10.9.0.0/24 n"
    And I ran "klee create -l <driver> --name box FreeBSD"
    When I run "klee network connect n box"
    Then it fails with "containers with the '<driver>' network-driver cannot connect to networks."

    Examples:
      | driver   |
      | host     |
      | disabled |
