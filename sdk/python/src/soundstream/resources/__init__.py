"""The resource namespaces of the clients (`client.artists`, `client.users`...), one module
per API area: its methods written once (a `*Calls` class, see `_endpoint.py`), served by a
blocking class and an asyncio class that add nothing of their own."""

from .analytics import Analytics, AsyncAnalytics
from .artists import Artists, AsyncArtists
from .exports import AsyncExports, Exports
from .friendships import AsyncFriendships, Friendships
from .listens import AsyncListens, Listens
from .recommendations import AsyncRecommendations, Recommendations
from .search import AsyncSearch, Search
from .tag_assignments import AsyncTagAssignments, TagAssignments
from .tags import AsyncTags, Tags
from .users import AsyncUsers, Users

__all__ = [
    "Analytics",
    "Artists",
    "AsyncAnalytics",
    "AsyncArtists",
    "AsyncExports",
    "AsyncFriendships",
    "AsyncListens",
    "AsyncRecommendations",
    "AsyncSearch",
    "AsyncTagAssignments",
    "AsyncTags",
    "AsyncUsers",
    "Exports",
    "Friendships",
    "Listens",
    "Recommendations",
    "Search",
    "TagAssignments",
    "Tags",
    "Users",
]
