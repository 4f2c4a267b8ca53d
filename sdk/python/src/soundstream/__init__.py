"""SoundStream's Python SDK: the Last.fm (hetrec2011-lastfm-2k) REST API from notebooks,
scripts and dashboards.

```python
from soundstream import SoundStreamClient

client = SoundStreamClient()  # $SOUNDSTREAM_API_URL or http://127.0.0.1:8000
client.artists.get(707).plays  # 371916
client.search.artists(tags_all=["metal", "thrash metal"], output_format="pandas")
client.exports.to_pandas("tag_assignments")  # a whole table in one request
```
"""

from . import types
from ._client import AsyncSoundStreamClient, SoundStreamClient
from ._constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SoundStreamError,
    ValidationError,
)
from ._models import ItemList, Page
from ._output import PartialPageWarning
from ._pagination import AsyncPageIterator, PageIterator
from ._rate_limit import RateLimit
from ._types import NOT_GIVEN, ExportFormat, ExportTable, NotGiven, OutputFormat, Paging
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPageIterator",
    "AsyncSoundStreamClient",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ExportFormat",
    "ExportTable",
    "ItemList",
    "NotFoundError",
    "NotGiven",
    "OutputFormat",
    "Page",
    "PageIterator",
    "Paging",
    "PartialPageWarning",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ServerError",
    "SoundStreamClient",
    "SoundStreamError",
    "ValidationError",
    "__version__",
    "types",
]
