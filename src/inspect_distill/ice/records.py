"""What an ICE campaign records: its settings, its templates, and every target query with its verdicts.

Templates and questions are stored once and referenced by id from the query records, so a 20,000-query
campaign stays small in the log; `CampaignResult.prompt(record)` rebuilds any prompt exactly.
"""

from __future__ import annotations

from typing import Literal

from inspect_ai.util import StoreModel
from pydantic import BaseModel, Field

from inspect_distill.ice.fuzz.templates import fill, has_placeholder
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.identity.model import Identity

QueryStatus = Literal["ok", "error", "refusal"]


class TemplateRecord(BaseModel):
    """A template of the campaign: a seed, or a mutant with how it was made and how it fared."""

    id: str
    text: str | None = None
    """None for a dropped mutant (no valid template came back)."""
    parent_id: str | None = None
    level: int = 0
    mutator: str | None = None
    source: str = "builtin"
    iteration: int = 0
    attempts: int = 0
    dropped_reason: str | None = None
    joined_pool: bool = False
    queries: int = 0
    successes: int = 0


class QueryRecord(BaseModel):
    """One target query: which template and question, what came back, and the judges' verdicts."""

    index: int
    iteration: int
    template_id: str
    question_id: str
    response: str | None = None
    status: QueryStatus = "ok"
    error: str | None = None
    verdicts: dict[str, Verdict] = Field(default_factory=dict)
    recorded_loose: bool | None = None
    """The loose verdict recorded in an imported file (the paper's gpt-4o-mini judge)."""
    recorded_strict: bool | None = None
    """Whether an imported row is in the paper's strict file."""
    control: bool = False
    """A hallucination-control query about an invented name (outside the budget and the rates)."""
    control_attribution: str | None = None
    """For a control query: the reference identity the response attributes the invented name to."""


class CampaignResult(BaseModel):
    """Everything one campaign did, as recorded in the sample store."""

    settings: CampaignSettings
    identity: Identity
    identity_source: str | None = None
    """Where the identity came from: the task's argument, a named local model, the model name, GGUF metadata."""
    references: list[Identity]
    roles: dict[str, str] = Field(default_factory=dict)
    """The model behind each role (target, mutator, grader)."""
    templates: dict[str, TemplateRecord] = Field(default_factory=dict)
    questions: dict[str, IdentityQuestion] = Field(default_factory=dict)
    records: list[QueryRecord] = Field(default_factory=list)
    iterations: int = 0
    queries: int = 0
    stop_reason: str | None = None

    def template_text(self, record: QueryRecord) -> str:
        text = self.templates[record.template_id].text
        return text or ""

    def prompt(self, record: QueryRecord) -> str:
        """The exact prompt the target saw for this record.

        A recorded (imported) template may lack a placeholder: the paper's code then appended the question
        to the template with no separator, and that is what its target saw.
        """
        template = self.template_text(record)
        question = self.questions[record.question_id].text
        return fill(template, question) if has_placeholder(template) else template + question

    @property
    def dropped_mutants(self) -> int:
        return sum(1 for t in self.templates.values() if t.dropped_reason is not None)


class CampaignStore(StoreModel):
    """The campaign in the sample store, written when the campaign ends (also on a limit)."""

    campaign: CampaignResult | None = None


CAMPAIGN_STORE_KEY = f"{CampaignStore.__name__}:campaign"
"""Where a campaign is in a sample's store, as written in the log (`sample.store[CAMPAIGN_STORE_KEY]`)."""


def stored_campaign(store: dict[str, object]) -> CampaignResult | None:
    """The campaign recorded in a logged sample's store, or None when the sample holds none."""
    raw = store.get(CAMPAIGN_STORE_KEY)
    return CampaignResult.model_validate(raw) if raw is not None else None
