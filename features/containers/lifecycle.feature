@sim @freebsd
Feature: Container lifecycle
  Containers are created stopped, started with their command, stopped, and
  removed; each step prints the container id and errors name the problem.

  Background:
    Given a fresh host

  @sim
  Scenario: Listing shows running containers, or all with -a
    Given I ran "klee create --name first FreeBSD:testing echo hello world" and remembered the output as <C1>
    And I ran "klee run -d --name second FreeBSD"
    When I run "klee lsc -a"
    Then the output matches:
      """
       CONTAINER ID    NAME     IMAGE             COMMAND            CREATED                  AUTORUN   STATUS    JID
      ────────────────────────────────────────────────────────────────────────────────────────────────────────────────
       <C2>    second   FreeBSD:latest    /bin/sh /etc/rc    Less than a second ago     no      running   1
       <C1>    first    FreeBSD:testing   echo hello world   Less than a second ago     no      stopped
      """
    When I run "klee lsc -q"
    Then the output is "<C2>"
    When I run "klee lsc --json"
    Then the JSON output has "0.name" equal to "second"
    And the JSON output has "0.running" equal to true
    And the JSON output has "0.jid" equal to 1
    And the JSON output has "0.command" equal to "/bin/sh /etc/rc"

  Scenario: Names are generated and checked
    Given I ran "klee create FreeBSD"
    When I run "klee lsc -a --json"
    Then the output contains "_"
    When I run "klee create --name bad/name FreeBSD"
    Then it fails with "could not create container: bad/name does not match /?[a-zA-Z0-9][a-zA-Z0-9_.-]+$"
    Given I ran "klee create --name taken FreeBSD"
    When I run "klee create --name taken FreeBSD"
    Then it fails with "could not create container: container name is already taken"
    When I run "klee create nosuchimage"
    Then it fails with "could not create container: no such image 'nosuchimage'"

  Scenario: Start, stop and remove report their errors
    Given I ran "klee run -d --name box FreeBSD"
    When I run "klee start -d box"
    Then it fails with "container already running"
    When I run "klee rmc box"
    Then it fails with "you cannot remove a running container"
    When I run "klee stop box"
    Then it succeeds
    When I run "klee stop box"
    Then it fails with "container not running"
    When I run "klee stop nosuch"
    Then it fails with "no such container"
    When I run "klee start a b"
    Then it fails with "only one container can be started when attaching to container I/O."

  Scenario: The exit status of an attached run is the process's
    When I run "klee run FreeBSD /bin/sh -c "exit 3""
    Then the exit status is 1
    And the output contains "jail: /usr/bin/env /bin/sh -c exit 3: failed"

  Scenario: exec into a running container passes its status through
    Given I ran "klee run -d --name box FreeBSD"
    When I run "klee exec box /bin/sh -c "exit 71""
    Then the exit status is 71
    And the output includes:
      """
      <E> has exited with exit-code 71
      """

  Scenario: Everything after the image is the command
    When I run "klee run FreeBSD echo --help -n"
    Then the output includes:
      """
      --help -n

      executable <E> and its container exited with exit-code 0
      """

  Scenario: Removing with force stops first
    Given I ran "klee run -d --name box FreeBSD"
    When I run "klee rmc -f box"
    Then it succeeds
    When I run "klee lsc -a -q"
    Then the output is empty
    When I run "klee host jls"
    Then the output is "   JID  IP Address      Hostname                      Path"

  Scenario: A jail removed by hand is noticed and cleaned
    Given I ran "klee network create -t bridge --subnet 10.9.0.0/24 n"
    And I ran "klee run -d -l vnet -n n --name box FreeBSD sleep 100"
    And I ran "klee host jail -r 1"
    When I run "klee lsc -a --json"
    Then the JSON output has "0.running" equal to false
    When I run "klee network create other"
    And I run "klee host ifconfig"
    Then the output does not contain "epair"
