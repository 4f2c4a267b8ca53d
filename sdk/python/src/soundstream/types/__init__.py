"""Every response model of the SDK, and the enumerations of its parameters, importable from
one place: `from soundstream.types import ArtistDetail, ArtistSort`.

The models' fields all have one shape, on purpose: `name: type = Field(description=...)`
followed by the same text as a docstring (the description is what pydantic and the OpenAPI
conformance test read, the docstring what editors show; `tests/unit/test_surface.py` checks
that both are there and agree). A scan for repeated code sees runs of that shape between
models with different fields; they are declarations, not logic to share."""

from .._models import ItemList, Page, SoundStreamModel
from .._types import (
    ArtistRanking,
    ArtistSort,
    ExportFormat,
    ExportReadFormat,
    ExportTable,
    Granularity,
    OutputFormat,
    Paging,
    SearchSort,
    SortOrder,
    Strategy,
    TagSort,
    UserRanking,
    UserSort,
)
from .analytics import (
    ArtistSegment,
    CorrelationTest,
    DatasetSummary,
    DegreeCount,
    Distribution,
    DiversityCorrelation,
    HistogramBin,
    ListeningDistribution,
    LorenzPoint,
    SocialGraph,
    SocialPoint,
    TagCloudEntry,
    TagTrendPoint,
    TagUsage,
    TopShare,
    UserActivity,
)
from .artists import ArtistDetail, ArtistHit, ArtistSummary, Listener, SimilarArtist, TagCount
from .errors import ErrorDetail, FieldError
from .friendships import Friendship
from .health import Liveness, Readiness, ReadModelStatus, RecommenderStatus
from .listens import Listen
from .recommendations import RecommendationReason, Recommendations, RecommendedArtist
from .tag_assignments import TagAssignment
from .tags import TagArtist, TagDetail, TagSummary
from .users import SimilarUser, UserArtist, UserSummary

__all__ = [
    "ArtistDetail",
    "ArtistHit",
    "ArtistRanking",
    "ArtistSegment",
    "ArtistSort",
    "ArtistSummary",
    "CorrelationTest",
    "DatasetSummary",
    "DegreeCount",
    "Distribution",
    "DiversityCorrelation",
    "ErrorDetail",
    "ExportFormat",
    "ExportReadFormat",
    "ExportTable",
    "FieldError",
    "Friendship",
    "Granularity",
    "HistogramBin",
    "ItemList",
    "Listen",
    "Listener",
    "ListeningDistribution",
    "Liveness",
    "LorenzPoint",
    "OutputFormat",
    "Page",
    "Paging",
    "ReadModelStatus",
    "Readiness",
    "RecommendationReason",
    "Recommendations",
    "RecommendedArtist",
    "RecommenderStatus",
    "SearchSort",
    "SimilarArtist",
    "SimilarUser",
    "SocialGraph",
    "SocialPoint",
    "SortOrder",
    "SoundStreamModel",
    "Strategy",
    "TagArtist",
    "TagAssignment",
    "TagCloudEntry",
    "TagCount",
    "TagDetail",
    "TagSort",
    "TagSummary",
    "TagTrendPoint",
    "TagUsage",
    "TopShare",
    "UserActivity",
    "UserArtist",
    "UserRanking",
    "UserSort",
    "UserSummary",
]
