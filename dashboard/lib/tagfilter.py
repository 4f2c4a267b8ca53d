"""The optional filter of offensive tags in the clouds: the patterns of
`lib/offensive_tags.txt`, read once, and a function that says whether a tag matches one."""

from __future__ import annotations

import functools
import re
from pathlib import Path

WORD_LIST = Path(__file__).with_name("offensive_tags.txt")
"""One regular expression per line; `#` starts a comment line."""


@functools.cache
def _pattern() -> re.Pattern[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_offensive(tag: str) -> bool:
    """Whether `tag` matches a pattern of the word list."""
    return _pattern().search(tag) is not None
