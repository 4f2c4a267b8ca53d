"""Artist cards: the picture always has its initials placeholder under it, and nothing from
the data can break out of the HTML or the CSS."""

from __future__ import annotations

import base64

from lib.cards import artist_card, initials, picture_html, placeholder_uri, safe_picture_url


def test_initials_take_the_first_letters_of_two_words() -> None:
    assert initials("Pet Shop Boys") == "PS"
    assert initials("a-ha") == "AH"
    assert initials("Sigur Rós") == "SR"
    assert initials("Ólafur Arnalds") == "ÓA"
    assert initials('"Weird Al" Yankovic') == "WA"
    assert initials("!!!") == "?"
    assert initials("+44") == "4"
    assert initials("!!!") == "?"


def test_the_placeholder_is_an_svg_with_the_initials() -> None:
    uri = placeholder_uri("Depeche Mode")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert svg.startswith("<svg ")
    assert ">DM</text>" in svg


def test_the_remote_picture_is_layered_over_the_placeholder() -> None:
    html = picture_html("Metallica", "http://userserve-ak.last.fm/serve/252/7560709.jpg")
    remote = html.index("url('http://userserve-ak.last.fm/serve/252/7560709.jpg')")
    placeholder = html.index("url('data:image/svg+xml;base64,")
    assert remote < placeholder  # the first CSS background layer is drawn on top
    assert "<img" not in html


def test_without_a_picture_only_the_placeholder_is_drawn() -> None:
    html = picture_html("Unknown Band", None)
    assert html.count("url(") == 1


def test_urls_cannot_escape_the_css_or_run_script() -> None:
    assert safe_picture_url("javascript:alert(1)") is None
    assert safe_picture_url("data:image/png;base64,AAAA") is None
    escaped = safe_picture_url("http://x.example/a'),url(evil).png")
    assert escaped is not None
    assert "'" not in escaped
    assert "(" not in escaped
    assert ")" not in escaped


def test_names_and_explanations_are_escaped() -> None:
    card = artist_card("<b>Bad</b>", None, "#1", "because <script>")
    assert "<b>Bad</b>" not in card
    assert "&lt;b&gt;Bad&lt;/b&gt;" in card
    assert "<script>" not in card
