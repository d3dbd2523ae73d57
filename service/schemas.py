"""Request and response schemas: the one source of validation and of the OpenAPI document.

Limits (text length, batch size, explanation terms) come from the settings, so
the request models are built per application by :func:`request_models`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from classifier.labels import LABELS
from classifier.model import FIELDS
from classifier.screening import LETTER, has_letter

Label = Literal[LABELS]  # type: ignore[valid-type]  # the scale's labels, from classifier.labels

PredictionField = Literal[FIELDS]  # type: ignore[valid-type]  # from classifier.model
ReviewReason = Literal["low_confidence", "not_english", "unknown_words", "no_letters"]
StatementId = Annotated[str, StringConstraints(max_length=256)] | int
VersionName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+$", max_length=128)]


class FieldError(ValueError):
    """A ValueError from a model validator about one field: the error names ``field``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _json_integer(value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer; strings and booleans are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (str, bool)):
        raise ValueError("Input should be a valid integer")
    return value


def _has_letter(text: str) -> str:
    # the same character class as the OpenAPI pattern (classifier.screening.LETTER)
    if not has_letter(text):
        raise ValueError(
            "must contain at least one letter: a text of digits, punctuation, white space "
            "or invisible characters only is not a statement"
        )
    return text


class RequestModels:
    """The request schemas built for one application's limits."""

    def __init__(
        self, predict: type[BaseModel], reload: type[BaseModel], analyze: type[BaseModel]
    ) -> None:
        self.predict = predict
        self.reload = reload
        self.analyze = analyze


def statement_text(max_chars: int, description: str = "The statement to label.") -> Any:
    """A statement's text: 1 to ``max_chars`` characters with at least one letter."""
    return Annotated[
        str,
        Field(
            min_length=1,
            max_length=max_chars,
            description=description,
            json_schema_extra={"pattern": LETTER},
        ),
        AfterValidator(_has_letter),
    ]


def request_models(
    max_chars: int, max_batch: int, max_top_k: int, max_article_chars: int = 100_000
) -> RequestModels:
    Text = statement_text(max_chars)

    class StatementIn(Strict):
        """One statement of a batch; its ``id`` (optional) is echoed back."""

        id: StatementId | None = Field(default=None, description="Echoed back unchanged.")
        text: Text

    class PredictRequest(Strict):
        """Either ``text`` (one statement) or ``statements`` (a batch), not both."""

        model_config = ConfigDict(
            json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["statements"]}]}
        )
        text: Text | SkipJsonSchema[None] = None
        statements: (
            Annotated[list[StatementIn], Field(min_length=1, max_length=max_batch)]
            | SkipJsonSchema[None]
        ) = None

        @model_validator(mode="before")
        @classmethod
        def _no_nulls(cls, data: Any) -> Any:
            for key in ("text", "statements", "fields"):
                if isinstance(data, dict) and key in data and data[key] is None:
                    raise FieldError(key, f"'{key}' must not be null; leave it out instead")
            return data

        explain: bool = Field(default=False, description="Add the terms that decided each label.")
        fields: (
            Annotated[list[PredictionField], Field(min_length=1, max_length=len(FIELDS))]
            | SkipJsonSchema[None]
        ) = Field(
            default=None,
            description="Answer only these fields of each prediction (and `id`; the "
            "explanation when explaining); the work only the others need is skipped: "
            '`["label", "probabilities"]` leaves out the relevance model and, but for '
            "statements with a verb of asking, the actor ranker. Default: all.",
        )
        top_k: Annotated[int, BeforeValidator(_json_integer)] = Field(
            default=10,
            ge=1,
            le=max_top_k,
            strict=False,
            description="Explanation terms per direction.",
        )

        @model_validator(mode="after")
        def _one_of(self) -> PredictRequest:
            if (self.text is None) == (self.statements is None):
                raise ValueError("give exactly one of 'text' or 'statements'")
            return self

    class ReloadRequest(Strict):
        """Which version to load; without it, whatever ``current`` points at."""

        version: VersionName | None = None

    class AnalyzeRequest(Strict):
        """An article: its text, and optionally its date and source (echoed back)."""

        text: Annotated[
            str,
            Field(min_length=1, max_length=max_article_chars, description="The article.",
                  json_schema_extra={"pattern": LETTER}),
            AfterValidator(_has_letter),
        ]  # fmt: skip
        date: datetime.date | None = Field(default=None, strict=False,
                                           description="Publication date, YYYY-MM-DD.")  # fmt: skip
        source: Annotated[str, StringConstraints(max_length=200)] | None = None

    StatementIn.__name__ = "Statement"
    return RequestModels(PredictRequest, ReloadRequest, AnalyzeRequest)


class Term(BaseModel):
    term: str = Field(description="The statement's own words.")
    feature: str = Field(description="The model's feature (stemmed, negation-marked).")
    weight: float = Field(description="tf-idf value times the label's centered coefficient.")
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets.")


class Explanation(BaseModel):
    label: Label
    bias: float
    toward: list[Term]
    away: list[Term]


class PartyOut(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-3 for states, an upper-case id otherwise.")
    name: str
    probability: float = Field(ge=0, le=1)
    implied: bool = Field(
        default=False,
        description="True when the text does not name this party and the recipient model "
        "inferred it from the statement's words (weapons, places, people of one conflict).",
    )


class StatementPrediction(BaseModel):
    label: Label
    level: int = Field(ge=0, le=4)
    probabilities: dict[Label, float]
    confidence: float = Field(
        ge=0, le=1, description="The top probability, calibrated by temperature scaling."
    )
    review: bool = Field(description="True when an analyst should check this one: see `reason`.")
    reason: ReviewReason | None = Field(
        description="Why `review` is true (null when it is not): `low_confidence`, the "
        "confidence is below the model's review threshold (chosen on cross-validation so "
        "that the predictions not flagged reach macro-F1 0.85); `not_english`, the text is "
        "in another script or language (see `language`); `unknown_words`, fewer than a "
        "third of its words are in the model's vocabulary; `no_letters` (Python API and CLI "
        "only: the HTTP API refuses such text with a 422)."
    )
    language: str | None = Field(
        description="ISO 639-1 code of the language when the text was found not to be "
        "English and the script or function words tell which; otherwise null."
    )
    relevance: float | None = Field(
        ge=0,
        le=1,
        description="Probability that the text states some actor's support "
        "stance at all (null for a model without a relevance model).",
    )
    actor: PartyOut | None = Field(
        description="Who gives the support; null when the text "
        "names no state, organisation or armed group."
    )
    recipient: PartyOut | None = Field(
        description="Who receives it; null when the text neither names nor implies one."
    )
    explanation: Explanation | None = None


def _only_id_required(schema: dict[str, Any]) -> None:
    schema["required"] = ["id"]


class PredictionOut(StatementPrediction):
    """A prediction with every field, or those the request's `fields` names; `id` always."""

    model_config = ConfigDict(json_schema_extra=_only_id_required)
    id: StatementId | None


class SentenceOut(BaseModel):
    index: int
    start: int = Field(description="Character offset of the sentence in the article.")
    end: int = Field(description="`text[start:end]` is the sentence.")
    text: str
    relevance: float | None
    relevant: bool = Field(description="States a support stance (relevance >= 0.5).")
    prediction: StatementPrediction | None = Field(description="For relevant sentences only.")


class PartyRef(BaseModel):
    code: str
    name: str


class SummaryOut(BaseModel):
    actor: PartyRef | None
    recipient: PartyRef | None
    level: int = Field(ge=0, le=4, description="The highest level the article states.")
    label: Label
    sentences: list[int] = Field(description="Indices of the sentences that state it.")


class ModelRef(BaseModel):
    version: str


class PredictResponse(BaseModel):
    model: ModelRef
    predictions: list[PredictionOut]


class AnalyzeResponse(BaseModel):
    model: ModelRef
    date: str | None
    source: str | None
    sentences: list[SentenceOut]
    summary: list[SummaryOut] = Field(description="One row per (actor, recipient).")


class LabelInfo(BaseModel):
    level: int
    label: Label
    description: str


class LabelsResponse(BaseModel):
    labels: list[LabelInfo]


class ModelInfo(BaseModel):
    """The loaded model's manifest."""

    model_config = ConfigDict(extra="allow")
    version: str
    created_at: str | None = None
    labels: list[Label]
    hyperparameters: dict[str, Any]
    scores: dict[str, Any]
    data: dict[str, Any]


class ReportInfo(BaseModel):
    name: str = Field(description="The evaluated data: `heldout` or the file's stem.")
    url: str = Field(description="Where the HTML report is served.")
    rows: int | None = Field(description="Rows evaluated, if the metrics file says.")
    macro_f1: float | None = Field(description="The model's macro-F1 there (4 decimals), if known.")


class ReportsResponse(BaseModel):
    model: str
    reports: list[ReportInfo]


class ReloadResponse(BaseModel):
    version: str
    previous: str


class Health(BaseModel):
    status: Literal["ok", "ready"]
    model: str | None = None


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code.")
    message: str = Field(description="What was wrong and how to fix it.")
    field: str | None = Field(default=None, description="Where in the request, if anywhere.")


class ErrorResponse(BaseModel):
    error: ErrorBody
