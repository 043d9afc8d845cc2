"""Side panels that features add to an enquiry's page (privacy's hold, for one).

A feature calls ``register_case_panel`` in its ``init_app`` with a template of its own and a
function that reads what the template needs. The page renders every panel in the side column,
below the handling panel, in ``order``; each template finds its data as
``panel_data[<name>]`` beside the page's own context (``enquiry``, ``case``, ``today``).

A panel's form posts to the feature's own view, which after its change answers with
``portal.inbox.detail_views.render_case(enquiry_id, fragment=<the panel's template>)`` for htmx
(and a redirect to the page otherwise): the same template renders the panel in the page and as
the swapped fragment. The panel's outer element should carry ``id="panel-<name>"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.intake.models import Enquiry


@dataclass(frozen=True)
class CasePanel:
    """One side panel: ``template`` rendered with ``panel_data[name] = context(enquiry)``."""

    name: str
    template: str
    context: Callable[[Enquiry], Any] | None = None
    order: int = 100


CASE_PANELS: dict[str, CasePanel] = {}


def register_case_panel(
    name: str,
    template: str,
    context: Callable[[Enquiry], Any] | None = None,
    order: int = 100,
) -> CasePanel:
    """Add a side panel to every enquiry's page (from a feature's ``init_app``; the same name
    again replaces it, so building the app twice is harmless)."""
    CASE_PANELS[name] = CasePanel(name, template, context, order)
    return CASE_PANELS[name]


def case_panels() -> list[CasePanel]:
    """The panels in page order."""
    return sorted(CASE_PANELS.values(), key=lambda panel: (panel.order, panel.name))


def panel_data(enquiry: Enquiry) -> dict[str, Any]:
    """What each panel's template needs, by panel name (read once per page)."""
    return {
        panel.name: panel.context(enquiry) if panel.context else None for panel in case_panels()
    }


def panel_for(element_id: str) -> CasePanel | None:
    """The panel whose outer element has ``element_id`` (``panel-<name>``), if any."""
    if not element_id.startswith("panel-"):
        return None
    return CASE_PANELS.get(element_id.removeprefix("panel-"))
