"""Schemas of the corrections API and the review queue (request bodies, query strings,
responses); like service/schemas.py, the one source of validation and of the OpenAPI
document, built per application for its limits."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.schemas import Label, Strict, VersionName, statement_text

Source = Literal["page", "api", "import"]
PartyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,15}$")]
ClientKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
AnnotatorName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
MAX_PAGE = 500
MAX_OFFSET = 1_000_000_000


class Query(BaseModel):
    """Query-string parameters: strings parsed to their types, unknown ones refused."""

    model_config = ConfigDict(extra="forbid")


def _utc(value: Any) -> Any:
    """A time without an offset is UTC; one with an offset is turned to UTC."""
    if not isinstance(value, datetime.datetime):
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by the offset
        return (datetime.datetime.min if value.year == 1 else datetime.datetime.max).replace(
            tzinfo=datetime.UTC
        )


class CorrectionModels:
    """The request schemas of one application's limits."""

    def __init__(
        self, create: type[BaseModel], query: type[BaseModel], review: type[BaseModel]
    ) -> None:
        self.create, self.query, self.review = create, query, review


def correction_models(max_chars: int, max_batch: int, max_note_chars: int) -> CorrectionModels:

    class CorrectionIn(Strict):
        """One analyst's label for one text. The service adds what its model predicts
        for the text (label, probabilities, model version) and the time."""

        text: statement_text(max_chars, "The statement, as it was classified.")  # type: ignore[valid-type]
        label: Label = Field(description="The right label, in the analyst's judgement.")
        actor: PartyCode | None = Field(
            default=None,
            description="Who gives the support: an ISO 3166-1 alpha-3 code or an upper-case id.",
        )
        recipient: PartyCode | None = Field(default=None, description="Who receives it.")
        note: Annotated[str, StringConstraints(max_length=max_note_chars)] | None = None
        seconds_spent: float | None = Field(
            default=None,
            ge=0,
            le=86_400,
            strict=False,
            description="Time the analyst took, seconds.",
        )
        source: Source = Field(default="api", description="`page`, `api` or `import`.")
        client_key: ClientKey | None = Field(
            default=None,
            description="The client's own id of this correction: sent again by the same "
            "annotator, the stored correction comes back instead of a second one (safe "
            "retries after a lost answer).",
        )

    class CorrectionsRequest(Strict):
        """A batch of corrections (one or more), stored in one transaction."""

        corrections: Annotated[list[CorrectionIn], Field(min_length=1, max_length=max_batch)]

    class CorrectionsQuery(Query):
        """Filters and page of GET /v1/corrections (newest first)."""

        label: Label | None = Field(default=None, description="Only this corrected label.")
        annotator: AnnotatorName | None = Field(default=None, description="Only this analyst.")
        model_version: VersionName | None = Field(
            default=None, description="Only corrections of this model version's predictions."
        )
        since: datetime.datetime | None = Field(
            default=None, description="Made at or after this time (RFC 3339; UTC if no offset)."
        )
        until: datetime.datetime | None = Field(default=None, description="Made before this time.")
        limit: int = Field(default=50, ge=1, le=MAX_PAGE)
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

        def model_post_init(self, _context: Any) -> None:
            self.since, self.until = _utc(self.since), _utc(self.until)

    class ReviewQuery(Query):
        """Which predictions of the queue (GET /v1/review)."""

        order: Literal["least_confidence", "breaking_ties"] = Field(
            default="least_confidence",
            description="`least_confidence`: lowest top probability first; `breaking_ties`: "
            "smallest gap between the two most probable labels first.",
        )
        model_version: VersionName | None = Field(
            default=None, description="Whose predictions (default: the model being served)."
        )
        limit: int = Field(default=20, ge=1, le=MAX_PAGE)
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    CorrectionIn.__name__ = "CorrectionIn"
    return CorrectionModels(CorrectionsRequest, CorrectionsQuery, ReviewQuery)


class CorrectionOut(BaseModel):
    id: int
    text: str
    text_hash: str = Field(description="SHA-256 of the text, case and spacing folded.")
    label: Label
    model_version: str | None
    predicted_label: Label | None
    probabilities: dict[Label, float] | None
    actor: str | None
    recipient: str | None
    annotator: str
    note: str | None
    created_at: str = Field(description="RFC 3339, UTC.")
    seconds_spent: float | None
    source: Source
    client_key: str | None


class StoredCorrection(CorrectionOut):
    created: bool = Field(
        description="False when this annotator's `client_key` was stored "
        "before: the earlier correction is returned, nothing is added."
    )


class CorrectionsCreated(BaseModel):
    corrections: list[StoredCorrection]


class CorrectionsPage(BaseModel):
    total: int = Field(description="How many corrections match the filters.")
    limit: int
    offset: int
    corrections: list[CorrectionOut]


class Deleted(BaseModel):
    id: int
    deleted: Literal[True]


class ReviewItem(BaseModel):
    id: int
    text: str
    text_hash: str
    model_version: str
    label: Label
    confidence: float = Field(ge=0, le=1)
    margin: float = Field(ge=0, le=1, description="Top probability minus the second.")
    probabilities: dict[Label, float]
    logged_at: str


class ReviewPage(BaseModel):
    total: int = Field(description="Predictions of this model still waiting for an analyst.")
    limit: int
    offset: int
    order: str
    model_version: str
    predictions: list[ReviewItem]
