"""The brief as one self-contained, offline HTML page.

Everything taken from the brief or the documents is untrusted: it reaches the
page only through Jinja2 autoescaping, links are made only from http(s) URLs
(:func:`~newscollate.render.view.safe_http_url`), and a Content-Security-Policy
allows no script but the page's own (pinned by hash) and no network access at
all, so even an escaping mistake could not run anything or phone home.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .view import ENTITY_GROUPS, build_view, plural

__all__ = ["render_html", "brief_css", "tab_title", "visible_controls", "PAGE_SCRIPT"]

# Explicit bidi formatting characters: embeddings, overrides, isolates and their terminators, marks.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# C0 controls but tab and line breaks, and DEL, as their Unicode "control pictures" (NUL -> U+2400).
CONTROL_PICTURES = {code: 0x2400 + code for code in range(32) if chr(code) not in "\t\n\r"} | {0x7F: 0x2421}

# Progressive niceties only: "expand all" buttons (hidden without JS) and
# opening every <details> while printing so the paper copy has the excerpts.
# The page works fully without it.
PAGE_SCRIPT = """
(function () {
  var all = document.querySelectorAll("details");
  function setAll(open) { for (var i = 0; i < all.length; i++) all[i].open = open; }
  var controls = document.getElementById("expand-controls");
  if (controls) {
    controls.hidden = false;
    controls.querySelector("[data-expand=open]").addEventListener("click", function () { setAll(true); });
    controls.querySelector("[data-expand=close]").addEventListener("click", function () { setAll(false); });
  }
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = [];
    for (var i = 0; i < all.length; i++) if (!all[i].open) { all[i].open = true; openedForPrint.push(all[i]); }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < openedForPrint.length; i++) openedForPrint[i].open = false;
  });
})();
"""


def render_html(brief: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    """The brief as a single HTML page; ``texts`` maps document id to its full text."""
    view = build_view(brief, texts)
    if len(view.events) == 1:
        page_title = view.events[0].title
    else:
        page_title = f"News brief: {plural(len(view.events), 'event')}"
    page = _template().render(
        view=view,
        page_title=page_title,
        tab_title=tab_title,
        outlet_count=len({source.outlet.name for source in view.documents}),
        content_security_policy=_content_security_policy(),
        # Our own constant, not input: the one place markup is trusted.
        page_script=Markup(PAGE_SCRIPT),
        plural=plural,
        known_entity_types=set(ENTITY_GROUPS),
        brief_css=Markup(brief_css()),
    )
    return visible_controls(page)


def tab_title(title: str) -> str:
    """``title`` for a ``<title>``, without bidi controls.  No element can isolate text in a tab's
    title, so a right-to-left override there would reverse the words after it; the page itself
    shows the title as read, isolated in a ``<bdi>``."""
    return BIDI_CONTROLS.sub("", title)


def visible_controls(page: str) -> str:
    """A rendered page with each control character of its text shown as a symbol (``\\x00`` as ␀).

    A browser drops a NUL from the text and shows other controls as nothing, so a reader would
    not see what the source holds; the page's own markup has none, so this touches source text
    only (the stored text and every offset stay as read)."""
    return page.translate(CONTROL_PICTURES)


@lru_cache(maxsize=1)
def brief_css() -> str:
    """The brief's style sheet (our own file: inlined in the offline page, served by the web UI)."""
    return resources.files(__package__).joinpath("templates", "brief.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template():
    environment = Environment(
        loader=PackageLoader("newscollate.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("brief.html.j2")


def _content_security_policy() -> str:
    script_hash = base64.b64encode(hashlib.sha256(PAGE_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            f"script-src 'sha256-{script_hash}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
