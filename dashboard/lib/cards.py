"""Artist pictures and cards, drawn as HTML.

The data's `picture_url`s point at last.fm's CDN, which is often gone (and unreachable from
an offline host), so a picture must never show as a broken image. Each picture is a CSS
background with two layers: the remote picture on top and, below it, an inline SVG with the
artist's initials. A picture that loads covers the placeholder; one that fails leaves it in
view. No script is involved, so nothing depends on how Streamlit sanitizes HTML.
"""

from __future__ import annotations

import base64
import hashlib
import html
from urllib.parse import quote, urlsplit

# Muted colours for the placeholders, picked from the artist's name so it is stable.
_PALETTE = ("#3b5b92", "#7a4b8c", "#2f7d6d", "#a0522d", "#5a6b2f", "#8c3b4b", "#2c6e8f")

CARD_CSS = """
<style>
.ss-card { display: flex; gap: 0.9rem; align-items: flex-start; padding: 0.7rem;
  border: 1px solid rgba(128,128,128,0.25); border-radius: 0.6rem; margin-bottom: 0.7rem; }
.ss-pic { flex: none; border-radius: 0.5rem; background-size: cover, cover;
  background-position: center, center; background-repeat: no-repeat, no-repeat; }
.ss-body { min-width: 0; }
.ss-name { font-weight: 600; font-size: 1.05rem; margin: 0; }
.ss-meta { font-size: 0.85rem; opacity: 0.75; margin: 0.1rem 0 0.3rem 0; }
.ss-why { font-size: 0.9rem; margin: 0; }
</style>
"""
"""The cards' style; emit it once per page, before the cards."""


def initials(name: str) -> str:
    """Up to two letters for a placeholder: the first letter or digit of the first two words
    (`Pet Shop Boys` -> `PS`, `a-ha` -> `AH`, `"Weird Al" Yankovic` -> `WA`)."""
    firsts = [
        next(c for c in word if c.isalnum())
        for word in name.replace("-", " ").split()
        if any(c.isalnum() for c in word)
    ]
    return "".join(firsts[:2]).upper() or "?"


def placeholder_uri(name: str) -> str:
    """An SVG with the artist's initials on a colour of their own, as a `data:` URI."""
    digest = hashlib.sha256(name.encode()).digest()
    colour = _PALETTE[digest[0] % len(_PALETTE)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">'
        f'<rect width="120" height="120" fill="{colour}"/>'
        '<text x="60" y="60" dy="0.35em" text-anchor="middle" fill="#ffffff" '
        'font-family="sans-serif" font-size="46" font-weight="600">'
        f"{html.escape(initials(name))}</text></svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def safe_picture_url(url: str | None) -> str | None:
    """The URL if it is http(s), percent-encoded so that it cannot end the CSS `url(...)`."""
    if not url:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?&=%#+,;@~._-")


def picture_html(name: str, picture_url: str | None, size: int = 84) -> str:
    """A `size`-pixel square with the picture over the initials placeholder."""
    layers = [f"url('{placeholder_uri(name)}')"]
    remote = safe_picture_url(picture_url)
    if remote:
        layers.insert(0, f"url('{remote}')")
    return (
        f'<div class="ss-pic" role="img" aria-label="{html.escape(name)}" '
        f'style="width:{size}px;height:{size}px;background-image:{", ".join(layers)}"></div>'
    )


def artist_card(name: str, picture_url: str | None, meta: str, text: str = "") -> str:
    """A card: picture, name, one line of figures, and an optional sentence (why)."""
    why = f'<p class="ss-why">{html.escape(text)}</p>' if text else ""
    return (
        f'<div class="ss-card">{picture_html(name, picture_url)}<div class="ss-body">'
        f'<p class="ss-name">{html.escape(name)}</p><p class="ss-meta">{html.escape(meta)}</p>'
        f"{why}</div></div>"
    )
