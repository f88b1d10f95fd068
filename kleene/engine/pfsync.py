"""Keep the host's pf ruleset in step with the store (SPEC §4.14, plans §12).

The ruleset is rendered from the store; when the text equals the one last
loaded (kept in the store's meta table) nothing happens. Otherwise it is
checked with ``pfctl -n -f -``, written to ``pf_conf_path`` and loaded; the
undo writes the old text back and reloads it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kleene import pf, plans
from kleene.backends.base import Host
from kleene.config import Config
from kleene.engine.hostview import HostView
from kleene.engine.steps import Steps
from kleene.errors import PfLoadError
from kleene.store import Store

logger = logging.getLogger(__name__)

LOADED_KEY = "pf_loaded"


def load_template(config: Config) -> tuple[str, str]:
    """Return the pf template text and the path it came from."""
    path = Path(config.pf_template_path)
    if path.is_file():
        return path.read_text(), str(path)
    return pf.default_template(), str(path)


def render_ruleset(config: Config, store: Store, view: HostView) -> str:
    """Render pf.conf from the template and the store."""
    template, template_path = load_template(config)
    networks = store.networks()
    endpoints = {net.id: store.endpoints(network_id=net.id) for net in networks}
    containers = [
        (container, store.endpoints(container_id=container.id))
        for container in store.containers()
    ]
    inputs = pf.PfInputs(
        host_gateway=view.host_gateway(),
        networks=networks,
        endpoints=endpoints,
        containers=containers,
    )
    return pf.render(template, inputs, template_path=template_path)


def sync_pf(
    config: Config,
    store: Store,
    view: HostView,
    steps: Steps,
    *,
    teardown: bool = False,
) -> None:
    """Render, check, write and load pf if the ruleset changed."""
    text = render_ruleset(config, store, view)
    loaded = store.get_meta(LOADED_KEY)
    if text == loaded:
        return
    host = view.host
    check = host.run(plans.pfctl_check(), stdin=text)
    if not check.ok:
        raise PfLoadError(check.output, rolled_back=not teardown)

    path = config.pf_conf_path
    old_text = host.read_file(path)
    host.write_file(path, text)
    result = host.run(plans.pfctl_load(path))
    if not result.ok:
        _restore(host, path, old_text)
        raise PfLoadError(result.output, rolled_back=not teardown)
    with store.transaction():
        store.set_meta(LOADED_KEY, text)
    logger.info("loaded the pf ruleset into %s", path)

    def undo() -> None:
        _restore(host, path, old_text)
        with store.transaction():
            store.set_meta(LOADED_KEY, loaded)

    steps.undo_with("restore the previous pf ruleset", undo)


def _restore(host: Host, path: str, old_text: str | None) -> None:
    if old_text is None:
        host.remove_file(path)
        return
    host.write_file(path, old_text)
    result = host.run(plans.pfctl_load(path))
    if not result.ok:
        logger.warning("reloading the previous pf ruleset failed: %s", result.output)
