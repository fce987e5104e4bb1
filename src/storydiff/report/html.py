"""The self-contained HTML report: per story, the corroboration matrix, discrepancies, exclusive
claims, quote variants with a word diff, quotes by speaker, entities, and every article's text
with its quotes, speakers and claims highlighted (each table row links to its highlight).

Every piece of article text goes through Jinja2's autoescaping; the page loads nothing from the
network (CSS and a few lines of JavaScript are inlined).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from storydiff import __version__
from storydiff.model import Analysis
from storydiff.report.views import story_views

environment = Environment(
    loader=PackageLoader("storydiff", "report/templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def context(analysis: Analysis, **extra: Any) -> dict[str, Any]:
    """What every page that shows articles needs besides its own data."""
    return {
        "version": __version__,
        "analysis": analysis,
        "outlet_of": {a.id: (a.outlet or a.path or a.id) for a in analysis.articles},
        **extra,
    }


def render(analysis: Analysis, title: str = "storydiff report") -> str:
    template = environment.get_template("report.html.j2")
    return template.render(context(analysis, title=title, stories=story_views(analysis)))


def write(analysis: Analysis, path: Path, title: str = "storydiff report") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(analysis, title), encoding="utf-8")
