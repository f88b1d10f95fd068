@sim
Feature: Acting on the simulated host from outside and capturing its traffic
  The simulated host offers what a real machine offers a person at its
  console: the outside world, captures of any interface, and the pf log.

  Background:
    Given a fresh host

  Scenario: A capture of em0 holds a ping to the internet
    Given I ran "klee sim capture em0"
    And I ran "klee run -J allow.raw_sockets FreeBSD ping -c 2 1.1.1.1"
    When I run "klee sim capture em0 -w <STATE>/em0.pcap"
    Then the output is "6 packets written to <STATE>/em0.pcap"

  Scenario: The outside world pings the host
    When I run "klee sim outside ping -c 1 10.0.2.15"
    Then it succeeds
    And the output contains "1 packets transmitted, 1 packets received, 0.0% packet loss"

  Scenario: The outside world runs only ping, nc and host
    When I run "klee sim outside ifconfig"
    Then the exit status is 127
    And stderr is "command not found: ifconfig"

  Scenario: Interactive input reaches the process
    When I run "klee run -i FreeBSD cat" and answer "hello"
    Then the output matches:
      """
      <C>
      created execution instance <E>
      hello

      executable <E> and its container exited with exit-code 0
      """

  Scenario: Ctrl-C detaches from a waiting process and leaves it running
    Given I ran "klee run -d --name srv FreeBSD"
    When I start "klee exec srv nc -l 4000" in the background
    And I wait until the background command prints "created execution instance"
    And I interrupt the background command
    And the background command has ended
    Then the exit status is 130
    When I run "klee exec srv /bin/sh -c "echo hi | nc -N 127.0.0.1 4000""
    Then it succeeds
