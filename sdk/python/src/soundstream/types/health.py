"""Response models of the operational endpoints `/health/live` and `/health/ready`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

__all__ = ["Liveness", "Readiness", "RecommenderStatus"]


class Liveness(SoundStreamModel):
    """The process is up."""

    status: str = Field(description="Always `ok`.")
    """Always `ok`."""

    version: str = Field(description="Server version.")
    """Server version."""

    uptime_seconds: int = Field(description="Seconds since the server started.")
    """Seconds since the server started."""


class RecommenderStatus(SoundStreamModel):
    """The state of the recommender, for health checks."""

    frame_timestamps: ClassVar[frozenset[str]] = frozenset({"trained_at"})

    model_version: int = Field(
        description="Version of the model being served (0: none trained yet)."
    )
    """Version of the model being served (0: none trained yet)."""

    retraining: bool = Field(description="Whether a retraining is pending or running after writes.")
    """Whether a retraining is pending or running after writes."""

    trained_at: int | None = Field(
        default=None, description="When it was trained, in milliseconds since the epoch."
    )
    """When it was trained, in milliseconds since the epoch."""

    training_seconds: float | None = Field(
        default=None, description="How long its training took, in seconds."
    )
    """How long its training took, in seconds."""


class Readiness(SoundStreamModel):
    """Whether the server can answer requests."""

    status: str = Field(description="`ready`, or `not_ready` (with a 503).")
    """`ready`, or `not_ready` (with a 503)."""

    version: str = Field(description="Server version.")
    """Server version."""

    database: str = Field(description="The database engine: `sqlite` or `postgres`.")
    """The database engine: `sqlite` or `postgres`."""

    database_reachable: bool = Field(description="Whether the database answered.")
    """Whether the database answered."""

    data_loaded: bool = Field(
        description="Whether the dataset is loaded (the catalogue holds artists).",
    )
    """Whether the dataset is loaded (the catalogue holds artists)."""

    artists: int | None = Field(
        default=None,
        description="Artists in the database, when reachable.",
    )
    """Artists in the database, when reachable."""

    reason: str | None = Field(
        default=None,
        description="Why the server is not ready, when it is not.",
    )
    """Why the server is not ready, when it is not."""

    recommender: RecommenderStatus | None = Field(
        default=None,
        description="The recommender: model version, when and how fast it was trained.",
    )
    """The recommender: model version, when and how fast it was trained. (`None` from a server
    without a recommender.)"""
