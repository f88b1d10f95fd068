@sim @freebsd
Feature: A custom firewall template keeps the user's own rules
  The pf template may hold the user's options and rules around kleene's
  sections; they are kept in the rendered pf.conf and enforced.

  Background:
    Given a fresh host
    And the pf template is the fixture template "F5.template"

  Scenario: The user's rules stay around kleene's sections
    Given I ran "klee network create --subnet 10.23.45.0/24 testnet" and remembered the output as <N>
    When I run "klee run --network testnet --name container1 -J allow.raw_sockets=true FreeBSD"
    Then the output includes:
      """
      <E1> has exited with exit-code 0
      """
    When I run "klee run --network testnet --name container2 -J allow.raw_sockets=true FreeBSD"
    Then it succeeds
    When I run "klee host jls"
    Then the output matches:
      """
         JID  IP Address      Hostname                      Path
           1  10.23.45.1      <C1>                  /zroot/kleene/container/<C1>
           2  10.23.45.2      <C2>                  /zroot/kleene/container/<C2>
      """
    When I run "klee host jexec 1 /sbin/ping -c 3 10.23.45.2"
    Then it succeeds
    And the output contains "3 packets transmitted, 3 packets received, 0.0% packet loss"
    And the output contains "ttl=64"
    When I run "klee host cat /etc/pf.conf"
    Then the output is the pf fixture "F5" with network <N>

  Scenario: A template without the markers is refused
    Given the pf template is the fixture template "../freebsd/README.md"
    When I run "klee network create n"
    Then the exit status is 1
    And stderr contains "must contain <%= kleene_macros %>, <%= kleene_translation %> and <%= kleene_filtering %> once each, in this order"

  @sim
  Scenario: The user's rules are enforced
    Given I ran "klee network create --subnet 10.23.45.0/24 testnet"
    When I run "klee sim outside nc -v -z -w 2 10.0.2.15 22"
    Then the output is "nc: connect to 10.0.2.15 port 22 (tcp) failed: Connection refused"
    When I run "klee sim outside nc -v -z -w 2 10.0.2.15 80"
    Then the output is "nc: connect to 10.0.2.15 port 80 (tcp) failed: Operation timed out"
    When I run "klee sim pflog"
    Then the output contains "block in on em0: 10.0.2.2.49153 > 10.0.2.15.80: TCP length 40"
