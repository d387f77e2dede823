"""The HTML page: one self-contained file, nothing fetched, nothing from an article ever run.

Safety comes in three layers, so that one slip does not open the page:

1. article text never becomes markup: it travels as JSON inside a non-executable
   ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as
   ``\\u003c`` etc. (so no ``</script>`` can end the block), and the page script puts
   it into the document with ``textContent`` only; Jinja autoescapes everything else;
2. tooltips are plain strings, which vis-network 9 shows with ``innerText``;
3. a Content-Security-Policy runs only scripts carrying this page's random nonce and
   allows no network at all (``default-src 'none'``): an injected ``<script>`` or
   ``onerror=`` would neither run nor reach anywhere.

vis-network's JS and CSS are read from the files pyvis ships and inlined.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["html_page", "script_json", "vis_assets"]

TEMPLATES = Path(__file__).with_name("templates")
VIS_DIR = Path(pyvis.__file__).with_name("lib") / "vis-9.1.2"
GLYPHS = {"dot": "●", "square": "■", "diamond": "◆", "triangle": "▲", "triangleDown": "▼", "star": "★",
          "hexagon": "⬢"}
CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or JS line separators left raw."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                     ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _inline(text: str, tag: str) -> str:
    """Guard inlined library code against closing its own element early (it holds no such text today)."""
    return text.replace(f"</{tag}", f"<\\/{tag}")


def vis_assets() -> tuple[str, str]:
    """(vis-network JS, CSS) from the pyvis package on disk: no CDN, no download."""
    js = (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    return _inline(js, "script"), _inline(css, "style")


def html_page(*, title: str, data: dict[str, Any], summary: list[str], cut_note: str | None,
              legend: list[dict[str, str]]) -> str:
    """Render the template: ``data`` (nodes, edges, options, details, ...) is embedded as JSON."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    nonce = secrets.token_urlsafe(18)  # [A-Za-z0-9_-] only: the CSP is written into the page unescaped
    vis_js, vis_css = vis_assets()
    page_js = _inline((TEMPLATES / "page.js").read_text(encoding="utf-8"), "script")
    page_css = _inline((TEMPLATES / "page.css").read_text(encoding="utf-8"), "style")
    return env.get_template("page.html.j2").render(
        title=title, summary=summary, cut_note=cut_note, nonce=nonce, csp=CSP.format(nonce=nonce),
        legend=[{**item, "glyph": GLYPHS.get(item["shape"], "●")} for item in legend],
        data=script_json(data), vis_js=vis_js, vis_css=vis_css, page_js=page_js, page_css=page_css)
