"""The Jinja2 environment of the dashboard: package templates, autoescaping on for everything."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from service.dashboard.charts import signed
from service.dashboard.views import when

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/static/dashboard"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
_environment.globals["static"] = STATIC_URL
_environment.filters["signed"] = signed
_environment.filters["when"] = when


def render(template: str, **context: Any) -> str:
    """Render a template with every value escaped unless it is `Markup` (the SVG charts)."""
    return _environment.get_template(template).render(**context)
