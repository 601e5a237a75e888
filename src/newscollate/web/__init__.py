"""Web: a local web application and JSON API over a store (``newscollate serve``).

Pages (server-rendered, readable without JavaScript):

``/``                   events, newest first; search, date and outlet filters
``/events/{id}``        the event's brief: claims with outlet chips, discrepancies side by
                        side with the differing words marked, quotes, timeline; every excerpt
                        opens its document at the span
``/documents/{id}``     the text as read, removed junk struck through with its reason,
                        segment boundaries marked, ``?start=&end=`` highlighted
``/outlets``            per outlet, how often it is an original, a copy or a rewrite
``/upload``             add files from the browser

The API (``/api/...``, OpenAPI document at ``/api/openapi.json``) returns briefs exactly as
stored (``newscollate.brief/1``) and takes new documents at ``POST /api/documents``.

Safe by default: it binds 127.0.0.1 and answers only to loopback host names, every piece of
article text is escaped, a strict Content-Security-Policy allows no inline script or style,
cross-site posts are refused and request bodies are capped (:mod:`.security`).

    from newscollate.web import WebSettings, create_app
    app = create_app(WebSettings(store="newscollate.db"))  # or a postgresql:// URL
"""

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
