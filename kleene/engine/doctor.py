"""``klee doctor``: check the host prerequisites and say how to fix them.

Each check reads the host (never changes it) and gives one line: ``ok`` or
``FAIL`` with the thing checked and, on failure, the command that fixes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kleene import plans
from kleene.backends.base import Host
from kleene.config import Config

KLDSTAT = "/sbin/kldstat"


@dataclass(frozen=True)
class Check:
    """The result of one prerequisite check."""

    ok: bool
    what: str
    fix: str = ""

    def line(self) -> str:
        """Format the check as one report line."""
        if self.ok:
            return f"ok    {self.what}"
        return f"FAIL  {self.what}: {self.fix}"


def run_checks(config: Config, host: Host) -> list[Check]:
    """Check every prerequisite of SPEC §6.1 on the host."""
    checks = [Check(host.is_root(), "root privileges", "run klee as root")]
    for module in plans.KERNEL_MODULES:
        loaded = host.run([KLDSTAT, "-q", "-m", module]).ok
        checks.append(
            Check(loaded, f"kernel module {module} loaded", f"kldload {module}")
        )
    for oid in (*plans.FORWARDING_SYSCTLS, plans.BRIDGE_FILTER_SYSCTL):
        result = host.run(plans.sysctl_get(oid))
        value = result.output.strip() if result.ok else "missing"
        checks.append(
            Check(value == "1", f"{oid} is 1 (now {value})", f"sysctl {oid}=1")
        )
    info = host.run([plans.PFCTL, "-s", "info"])
    enabled = info.ok and info.output.startswith("Status: Enabled")
    checks.append(Check(enabled, "pf enabled", "pfctl -e"))
    checks.append(_template_check(config))
    checks.append(_state_dir_check(config))
    return checks


def _template_check(config: Config) -> Check:
    path = Path(config.pf_template_path)
    if path.is_file():
        return Check(True, f"pf template {path}")
    return Check(True, f"pf template {path} absent: the built-in template is used")


def _state_dir_check(config: Config) -> Check:
    path = Path(config.state_dir)
    existing = path if path.exists() else path.parent
    writable = os.access(existing, os.W_OK)
    return Check(writable, f"state directory {path} writable", f"create {path} as root")
