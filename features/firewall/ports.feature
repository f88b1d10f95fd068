@sim @freebsd
Feature: Published ports
  A published port redirects traffic arriving at a host interface to the
  container and lets it through the filter.

  Background:
    Given a fresh host
    And I ran "klee network create --subnet 10.13.37.0/24 testnet" and remembered the output as <N>

  Scenario Outline: Every -p form is stored as specified
    Given I ran "klee create -l ipnet -n testnet --name box -p <spec> FreeBSD"
    When I run "klee isc box"
    Then the JSON output has "container.public_ports.0.interfaces" equal to <interfaces>
    And the JSON output has "container.public_ports.0.host_port" equal to "<host>"
    And the JSON output has "container.public_ports.0.container_port" equal to "<container>"
    And the JSON output has "container.public_ports.0.protocol" equal to "<protocol>"
    And the JSON output has "container.public_ports.0.ip_address" equal to "10.13.37.1"

    Examples:
      | spec           | interfaces | host      | container | protocol |
      | 8080           | ["em0"]    | 8080      | 8080      | tcp      |
      | 8080:80        | ["em0"]    | 8080      | 80        | tcp      |
      | em1:8080:80    | ["em1"]    | 8080      | 80        | tcp      |
      | 8080:80/udp    | ["em0"]    | 8080      | 80        | udp      |
      | 5000-6000:4000 | ["em0"]    | 5000:6000 | 4000:*    | tcp      |

  Scenario: Two protocols and two interfaces give two entries each
    Given I ran "klee create -l ipnet -n testnet --name both -p 8080:80/tcp -p 8080:80/udp FreeBSD"
    And I ran "klee create -l ipnet -n testnet --name twice -p em0:8080:80 -p em1:8080:80 FreeBSD"
    When I run "klee isc both"
    Then the JSON output has "container.public_ports.1.protocol" equal to "udp"
    When I run "klee isc twice"
    Then the JSON output has "container.public_ports.1.interfaces" equal to ["em1"]

  Scenario Outline: Invalid port specifications create nothing
    When I run "klee create -l ipnet -n testnet -p <spec> FreeBSD"
    Then it fails with "<message>"
    When I run "klee lsc -a -q"
    Then the output is empty

    Examples:
      | spec      | message                                                                    |
      | a:b:c:d   | could not decode port to publish: a:b:c:d                                  |
      | 80/sctp   | could not decode port to publish: 80/sctp                                  |
      | 3leet     | could not create container: invalid port value (should be in the range 0 - 65535) |
      | 9000-8000 | could not create container: invalid port value (should be in the range 0 - 65535) |

  Scenario: A published port is rendered into pf
    When I run "klee run -d -l ipnet -n testnet -p 8080:80 --name web FreeBSD nc -l -k 80"
    Then it succeeds
    When I run "klee host cat /etc/pf.conf"
    Then the output includes:
      """
      kleenet_host_gw_if="em0"
      kleenet_network_interfaces="{lo0, kleene0}"
      kleenet_<N>_interface="kleene0"
      kleenet_<N>_subnet="10.13.37.0/24"
      kleenet_<N>_nat_if="em0"
      kleenet_<N>_all_interfaces="{kleene0, lo0}"
      """
    And the output includes:
      """
      nat on $kleenet_<N>_nat_if from ($kleenet_<N>_interface:network) to any -> ($kleenet_<N>_nat_if)
      rdr on em0 inet proto tcp from any to (em0) port 8080 -> 10.13.37.1 port 80
      """
    And the output includes:
      """
      block in log from any to $kleenet_<N>_subnet
      pass quick on $kleenet_<N>_all_interfaces from $kleenet_<N>_subnet to $kleenet_<N>_subnet
      pass quick on em0 inet proto tcp from any to 10.13.37.1 port 80
      pass quick on $kleenet_network_interfaces inet proto tcp from any to 10.13.37.1 port 80
      """

  @sim
  Scenario: A published port is reachable from outside and from another network
    Given I ran "klee run -d -l ipnet -n testnet -p 8080:80 --name web FreeBSD nc -l -k 80"
    When I run "klee sim outside nc -v -z -w 2 10.0.2.15 8080"
    Then the output is "Connection to 10.0.2.15 8080 port [tcp/http-alt] succeeded!"
    When I run "klee sim outside nc -v -z -w 2 10.0.2.15 8081"
    Then the exit status is 1
    And the output is "nc: connect to 10.0.2.15 port 8081 (tcp) failed: Connection refused"
    Given I ran "klee network create --subnet 10.13.38.0/24 othernet"
    When I run "klee host cat /etc/pf.conf"
    Then the output contains "kleenet_network_interfaces="{lo0, kleene1,kleene0}""
    When I run "klee run -l ipnet -n othernet FreeBSD nc -v -z -w 2 10.13.37.1 80"
    Then it succeeds
    Given I ran "klee exec -d web nc -l -k 81"
    When I run "klee run -l ipnet -n othernet FreeBSD nc -v -z -w 2 10.13.37.1 81"
    Then the exit status is 1
    And the output includes:
      """
      nc: connect to 10.13.37.1 port 81 (tcp) failed: Operation timed out
      jail: /usr/bin/env nc -v -z -w 2 10.13.37.1 81: failed
      """

  @sim
  Scenario: A published UDP port gets its cross-network pass rule
    When I run "klee run -d -l ipnet -n testnet -p 5353:53/udp --name dns FreeBSD nc -u -l -k 53"
    Then it succeeds
    When I run "klee host cat /etc/pf.conf"
    Then the output contains "pass quick on $kleenet_network_interfaces inet proto udp from any to 10.13.37.1 port 53"

  @sim
  Scenario: A published UDP port is reachable from outside and from another network
    Given I ran "klee network create --subnet 10.13.38.0/24 othernet"
    When I start "klee run -l ipnet -n testnet -p 5353:53/udp --name dns FreeBSD nc -u -l 53" in the background
    And I wait until the background command prints "created execution instance"
    And I run "klee sim outside -i nc -u -N -w 1 10.0.2.15 5353" and answer "from outside"
    Then it succeeds
    When I run "klee run -l ipnet -n othernet FreeBSD /bin/sh -c "echo from othernet | nc -u -N -w 1 10.13.37.1 53""
    Then it succeeds
    When I wait until the background command prints "from othernet"
    And I interrupt the background command
    And the background command has ended
    Then the output includes:
      """
      from outside
      from othernet
      """
