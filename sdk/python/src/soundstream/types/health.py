"""Response models of the operational endpoints `/health/live` and `/health/ready`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._models import SoundStreamModel

# Each model restates its OpenAPI schema field by field, with the field's description (a
# deliberate repetition of shape across models): pydantic validates what is declared.

__all__ = ["Liveness", "ReadModelStatus", "Readiness", "RecommenderStatus"]


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

    phase: str | None = Field(
        default=None,
        description="What training is doing now: `waiting`, `loading`, `indexing`, "
        "`validation_models`, `tuning`, `models`, `precomputing` or `done`.",
    )
    """What training is doing now: `waiting`, `loading`, `indexing`, `validation_models`,
    `tuning`, `models`, `precomputing` or `done`."""

    progress: float | None = Field(default=None, description="How far through that phase, 0 to 1.")
    """How far through that phase, 0 to 1."""

    models: list[str] = Field(
        default_factory=list,
        description="The models of the served model, in the form the data's size chose.",
    )
    """The models of the served model, in the form the data's size chose."""

    model_file: str | None = Field(
        default=None, description="The model file the served model was loaded from, if any."
    )
    """The model file the served model was loaded from, if any."""

    validation_ndcg: float | None = Field(
        default=None, description="Validation NDCG@10 of the served blend when it was trained."
    )
    """Validation NDCG@10 of the served blend when it was trained."""

    validation_coverage: float | None = Field(
        default=None, description="Validation catalogue coverage@10 of the served blend."
    )
    """Validation catalogue coverage@10 of the served blend."""


class ReadModelStatus(SoundStreamModel):
    """The server's in-memory read model: built or building, and the last write it holds."""

    ready: bool = Field(description="Whether reads are served from it.")
    """Whether reads are served from it."""

    building_table: str | None = Field(
        default=None, description="The table being read while a (re)build runs."
    )
    """The table being read while a (re)build runs."""

    building_rows: int | None = Field(
        default=None, description="Rows read so far by the running build."
    )
    """Rows read so far by the running build."""

    building_total: int | None = Field(
        default=None, description="Rows the running build reads in all."
    )
    """Rows the running build reads in all."""

    seq: int = Field(description="The last change-log entry (write) applied.")
    """The last change-log entry (write) applied."""

    epoch: int = Field(description="The dataset epoch served (an import starts a new one).")
    """The dataset epoch served (an import starts a new one)."""

    build_seconds: float | None = Field(default=None, description="Seconds the last build took.")
    """Seconds the last build took."""


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
        description="Whether the dataset is loaded (the read model holds artists).",
    )
    """Whether the dataset is loaded (the read model holds artists)."""

    artists: int | None = Field(
        default=None,
        description="Artists in the read model, once built.",
    )
    """Artists in the read model, once built."""

    phase: str | None = Field(
        default=None,
        description="What the server is doing: `importing` (the dataset, into an empty "
        "database), `building_read_model`, `ready` (reads are served), or `failed`.",
    )
    """What the server is doing: `importing` (the dataset, into an empty database),
    `building_read_model`, `ready` (reads are served), or `failed`."""

    reason: str | None = Field(
        default=None,
        description="Why the server is not ready, when it is not.",
    )
    """Why the server is not ready, when it is not."""

    read_model: ReadModelStatus | None = Field(
        default=None,
        description="The in-memory read model: built or building, and the last write it holds.",
    )
    """The in-memory read model: built or building, and the last write it holds."""

    recommender: RecommenderStatus | None = Field(
        default=None,
        description="The recommender: model version, when and how fast it was trained.",
    )
    """The recommender: model version, when and how fast it was trained. (`None` from a server
    without a recommender.)"""
