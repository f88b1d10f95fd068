@sim @freebsd
Feature: vnet containers have their own stack on a bridge
  A vnet container gets an epair per network: the a end joins the bridge, the
  b end moves into the jail with the container's address and default route.

  Background:
    Given a fresh host

  @sim
  Scenario: The VNet walk-through
    Given I ran "klee network create --subnet 10.2.3.0/24 testnet" and remembered the output as <N>
    And I ran "klee network create -t bridge --subnet 10.4.6.0/24 testvnet" and remembered the output as <N2>
    When I run "klee run -l vnet -n testvnet FreeBSD ifconfig"
    Then the output matches:
      """
      <C3>
      created execution instance <E8>
      add net default: gateway 10.4.6.1
      lo0: flags=8008<LOOPBACK,MULTICAST> metric 0 mtu 16384
              options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
              groups: lo
              nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
      pflog0: flags=0<> metric 0 mtu 33160
              groups: pflog
      epair0b: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
              description: kleene:<EP3>
              options=8<VLAN_MTU>
              ether <MAC3>
              inet 10.4.6.2 netmask 0xffffff00 broadcast 10.4.6.255
              groups: epair
              media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)
              status: active
              nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>

      executable <E8> and its container exited with exit-code 0
      """
    When I run "klee network inspect testvnet"
    Then the JSON output has "network_endpoints.0.mac_address" equal to "<MAC3>"
    And the JSON output has "network_endpoints.0.id" equal to "<EP3>"
    And the JSON output has "network_endpoints.0.epair" equal to null
    When I run "klee host ifconfig"
    Then the output includes:
      """
      kleene1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
              description: kleene:<N2>
              ether 58:9c:fc:<xx>:<xx>:<xx>
              inet 10.4.6.1 netmask 0xffffff00 broadcast 10.4.6.255
              id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
              maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
              root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
              groups: bridge
              nd6 options=9<PERFORMNUD,IFDISABLED>
      """
    And the output does not contain "epair"
    When I run "klee network create -t bridge --subnet 10.4.6.0/25 other"
    Then it fails with "invalid subnet: 10.4.6.0/25 overlaps with network 'testvnet' (10.4.6.0/24)"

  Scenario: ipnet and vnet containers on one bridge reach each other
    Given I ran "klee network create -t bridge --subnet 10.4.6.0/24 testnet"
    When I run "klee run -n testnet --ip 10.4.6.2 -l ipnet -J allow.raw_sockets --name webservice FreeBSD"
    Then the output matches:
      """
      <C1>
      created execution instance <E1>
      Starting syslogd.
      Starting cron.

      <date>

      <E1> has exited with exit-code 0
      """
    When I run "klee run -n testnet --ip 10.4.6.3 -l vnet --name vpnservice FreeBSD"
    Then the output matches:
      """
      <C2>
      created execution instance <E2>
      add net default: gateway 10.4.6.1
      Starting syslogd.
      Starting cron.

      <date>

      <E2> has exited with exit-code 0
      """
    When I run "klee exec webservice ping -c 3 10.4.6.3"
    Then the output matches:
      """
      created execution instance <E3>
      PING 10.4.6.3 (10.4.6.3): 56 data bytes
      64 bytes from 10.4.6.3: icmp_seq=0 ttl=64 time=<t> ms
      64 bytes from 10.4.6.3: icmp_seq=1 ttl=64 time=<t> ms
      64 bytes from 10.4.6.3: icmp_seq=2 ttl=64 time=<t> ms

      --- 10.4.6.3 ping statistics ---
      3 packets transmitted, 3 packets received, 0.0% packet loss
      round-trip min/avg/max/stddev = <t>/<t>/<t>/<t> ms

      <E3> has exited with exit-code 0
      """
    When I run "klee exec vpnservice ping -c 1 10.4.6.2"
    Then it succeeds
    When I run "klee network inspect testnet"
    Then the JSON output has "network_endpoints.1.epair" equal to "epair0"
    When I run "klee host ifconfig kleene0"
    Then the output contains "inet 10.4.6.2 netmask 0xffffffff broadcast 10.4.6.2"
    And the output contains "member: epair0a"
    When I run "klee stop vpnservice"
    And I run "klee host ifconfig epair0a"
    Then the exit status is 1

  Scenario: Two bridges give one default route per family
    Given I ran "klee network create -t bridge --subnet 172.19.1.0/24 --subnet6 fdef:1234:5678::/48 first"
    And I ran "klee network create -t bridge --subnet 172.20.1.0/24 second"
    And I ran "klee create -l vnet -n first --name two-nets FreeBSD netstat -rn"
    And I ran "klee network connect second two-nets"
    When I run "klee start two-nets"
    Then the output line 2 is "add net default: gateway 172.19.1.1"
    And the output line 3 is "add net default: gateway fdef:1234:5678::1"
    And the output line 4 is "Routing tables"

  Scenario: Manual gateways become the default routes and stay off the bridge
    Given I ran "klee network create -t bridge --subnet 172.19.1.0/24 --subnet6 fdef:1234:5678::/48 --gw 172.19.1.99 --gw6 fdef:1234:5678:9999:: manual"
    And I ran "klee create -l ipnet -n manual --name first FreeBSD"
    When I run "klee run -l vnet -n manual FreeBSD true"
    Then the output line 3 is "add net default: gateway 172.19.1.99"
    When I run "klee isn manual"
    Then the JSON output has "network_endpoints.0.ip_address" equal to "172.19.1.1"
    And the JSON output has "network_endpoints.0.ip_address6" equal to "fdef:1234:5678::1"
    And the JSON output has "network_endpoints.1.ip_address" equal to "172.19.1.2"
