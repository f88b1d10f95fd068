@sim
Feature: Host commands on the simulated FreeBSD host
  klee host runs the simulated userland directly, as root on the host: the
  commands kleene's plans use (bridges, epairs, addresses, routes, jails) and
  the tools users reach for (ping, nc, host) print what FreeBSD prints.

  Background:
    Given a fresh host

  Scenario: A bridge lists its address and its member
    Given I ran "klee host ifconfig bridge create name kleene1"
    And I ran "klee host ifconfig kleene1 inet 10.4.6.1/24 alias"
    And I ran "klee host ifconfig epair create"
    And I ran "klee host ifconfig kleene1 addm epair0a"
    And I ran "klee host ifconfig epair0a up"
    When I run "klee host ifconfig kleene1"
    Then the output matches:
      """
      kleene1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
              ether 58:9c:fc:<xx>:<xx>:<xx>
              inet 10.4.6.1 netmask 0xffffff00 broadcast 10.4.6.255
              id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
              maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
              root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
              member: epair0a flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
                      ifmaxaddr 0 port 6 priority 128 path cost 2000
              groups: bridge
              nd6 options=9<PERFORMNUD,IFDISABLED>
      """
    When I run "klee host ifconfig epair0a"
    Then the output matches:
      """
      epair0a: flags=8963<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST> metric 0 mtu 1500
              options=8<VLAN_MTU>
              ether 02:<xx>:<xx>:<xx>:<xx>:0a
              groups: epair
              media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)
              status: active
              nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
      """

  Scenario: An epair end moves into a vnet jail and configures its route
    Given I ran "klee host ifconfig bridge create name kleene1"
    And I ran "klee host ifconfig kleene1 inet 10.4.6.1/24 alias"
    And I ran "klee host ifconfig epair create"
    When I run "klee host jail -c name=v path=/v vnet vnet.interface=epair0b 'exec.prestart=ifconfig kleene1 addm epair0a' 'exec.prestart=ifconfig epair0a up' 'exec.start=ifconfig epair0b inet 10.4.6.2/24' 'exec.start=route add -inet default 10.4.6.1' persist"
    Then the output is "add net default: gateway 10.4.6.1"
    When I run "klee host jexec v netstat -rn"
    Then the output is:
      """
      Routing tables

      Internet:
      Destination        Gateway            Flags     Netif Expire
      default            10.4.6.1           UGS     epair0b
      10.4.6.0/24        link#3             U       epair0b
      10.4.6.2           link#3             UHS         lo0
      """
    When I run "klee host jls"
    Then the output line 1 is "   JID  IP Address      Hostname                      Path"
    And the output line 2 is "     1                  v                             /v"

  Scenario: A vnet jail pings its gateway on the bridge
    Given I ran "klee host ifconfig bridge create name kleene1"
    And I ran "klee host ifconfig kleene1 inet 10.4.6.1/24 alias"
    And I ran "klee host ifconfig epair create"
    And I ran "klee host jail -c name=v path=/v vnet vnet.interface=epair0b 'exec.prestart=ifconfig kleene1 addm epair0a' 'exec.prestart=ifconfig epair0a up' 'exec.start=ifconfig epair0b inet 10.4.6.2/24' persist"
    When I run "klee host jexec v ping -c 3 10.4.6.1"
    Then the output matches:
      """
      PING 10.4.6.1 (10.4.6.1): 56 data bytes
      64 bytes from 10.4.6.1: icmp_seq=0 ttl=64 time=<t> ms
      64 bytes from 10.4.6.1: icmp_seq=1 ttl=64 time=<t> ms
      64 bytes from 10.4.6.1: icmp_seq=2 ttl=64 time=<t> ms

      --- 10.4.6.1 ping statistics ---
      3 packets transmitted, 3 packets received, 0.0% packet loss
      round-trip min/avg/max/stddev = <t>/<t>/<t>/<t> ms
      """

  Scenario: Routes are added once and only through a reachable gateway
    When I run "klee host route add -inet default 10.0.2.2"
    Then the exit status is 1
    And the output is "add net default: gateway 10.0.2.2 fib 0: route already in table"
    When I run "klee host route add -net 10.9.0.0/24 10.99.0.1"
    Then the exit status is 1
    And the output is:
      """
      route: writing to routing socket: Network is unreachable
      add net 10.9.0.0/24: gateway 10.99.0.1 fib 0: Network is unreachable
      """

  Scenario: The internet answers one hop behind the gateway
    When I run "klee host ping -c 2 1.1.1.1"
    Then the output matches:
      """
      PING 1.1.1.1 (1.1.1.1): 56 data bytes
      64 bytes from 1.1.1.1: icmp_seq=0 ttl=63 time=<t> ms
      64 bytes from 1.1.1.1: icmp_seq=1 ttl=63 time=<t> ms

      --- 1.1.1.1 ping statistics ---
      2 packets transmitted, 2 packets received, 0.0% packet loss
      round-trip min/avg/max/stddev = <t>/<t>/<t>/<t> ms
      """
    When I run "klee host ping -c 1 192.168.77.1"
    Then the exit status is 2
    And the output line 4 is "1 packets transmitted, 0 packets received, 100.0% packet loss"

  Scenario: host asks the resolver, or a given server
    When I run "klee host host freebsd.org"
    Then the output is:
      """
      freebsd.org has address 96.47.72.84
      freebsd.org has IPv6 address 2610:1c1:1:606c::50:15
      freebsd.org mail is handled by 10 mx1.freebsd.org.
      freebsd.org mail is handled by 30 mx66.freebsd.org.
      """
    When I run "klee host host -t A freebsd.org 1.1.1.1"
    Then the output is:
      """
      Using domain server:
      Name: 1.1.1.1
      Address: 1.1.1.1#53
      Aliases: 

      freebsd.org has address 96.47.72.84
      """
    When I run "klee host host nosuch.example"
    Then the exit status is 1
    And the output is "Host nosuch.example not found: 3(NXDOMAIN)"

  Scenario: nc reports success, refusal and timeouts
    When I run "klee host nc -v -z 1.1.1.1 443"
    Then the output is "Connection to 1.1.1.1 443 port [tcp/https] succeeded!"
    When I run "klee host nc -v -z 1.1.1.1 8081"
    Then the exit status is 1
    And the output is "nc: connect to 1.1.1.1 port 8081 (tcp) failed: Connection refused"
    When I run "klee host nc -v -z -w 2 192.168.77.1 80"
    Then the exit status is 1
    And the output is "nc: connect to 192.168.77.1 port 80 (tcp) failed: Operation timed out"

  Scenario: Two ipnet jails talk over nc, from two terminals
    Given I ran "klee host ifconfig lo create name kleene0"
    And I ran "klee host ifconfig kleene0 inet 10.2.3.1/32 alias"
    And I ran "klee host ifconfig kleene0 inet 10.2.3.2/32 alias"
    And I ran "klee host jail -c name=client path=/client ip4.addr=10.2.3.2 persist"
    When I start "klee host jail -c name=server path=/server ip4.addr=10.2.3.1 command=nc -l 4000" in the background
    And I wait until "klee host jls" prints "server"
    And I run "klee host jexec client /bin/sh -c 'echo testing | nc -N -vv 10.2.3.1 4000'"
    Then the output is "Connection to 10.2.3.1 4000 port [tcp/*] succeeded!"
    When the background command has ended
    Then it succeeds
    And the output is "testing"
    When I run "klee host jls"
    Then the output has 2 lines
