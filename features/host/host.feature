@sim
Feature: Running commands on the host
  klee host runs a command on the selected host, outside any jail, and passes
  its output and exit status through.

  Background:
    Given a fresh host

  Scenario: A fresh simulated host lists its interfaces
    When I run "klee host ifconfig"
    Then the output is:
      """
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
      """

  Scenario: A failing host command passes its status through
    When I run "klee host ifconfig nosuch0"
    Then the exit status is 1
    And the output is "ifconfig: interface nosuch0 does not exist"

  Scenario: An unknown command is reported
    When I run "klee host frobnicate --now"
    Then the exit status is 127
    And stderr is "command not found: frobnicate"

  Scenario: The version is printed
    When I run "klee --version"
    Then the output is "klee, version 0.1.0"

  Scenario: No arguments print the help
    When I run "klee"
    Then it succeeds
    And the output contains "Usage: klee"

  Scenario: A group without a subcommand is a usage error
    When I run "klee network"
    Then the exit status is 2

  Scenario: The sim commands need the simulated backend
    When I run "klee --backend freebsd sim reset"
    Then it fails with "this command needs the simulated backend (--backend sim)"
