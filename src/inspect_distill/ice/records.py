"""What an ICE campaign records: its settings, its templates, and every target query with its verdicts.

Templates and questions are stored once and referenced by id from the query records, so a 20,000-query
campaign stays small in the log; `CampaignResult.prompt(record)` rebuilds any prompt exactly.
"""

from __future__ import annotations

from typing import Literal

from inspect_ai.util import StoreModel
from pydantic import BaseModel, Field, field_validator

from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.identity.model import Identity
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.fuzz.selection import policy_name
from inspect_distill.ice.fuzz.templates import fill, has_placeholder

JudgeKind = Literal["llm", "lexical", "both"]
QueryStatus = Literal["ok", "error", "refusal"]


class CampaignSettings(BaseModel):
    """Every setting of one ICE campaign; recorded in the log so a campaign can be replayed."""

    seed: int = 0
    budget: int = Field(default=1000, ge=1, description="target queries (the paper: 1000)")
    energy: int = Field(default=1, ge=1, description="mutants per selected template per iteration")
    parallel: int = Field(default=1, ge=1, description="templates selected per iteration")
    max_iterations: int | None = Field(default=None, ge=1)
    max_successes: int | None = Field(default=None, ge=1, description="stop after this many reward successes")
    selection: str = "mcts_explore"
    selection_params: dict[str, float] = Field(default_factory=dict)
    mutators: list[str] | None = None
    mutator_attempts: int = Field(default=3, ge=1)
    mutator_temperature: float = 1.0
    mutator_max_tokens: int = 1500
    tree_growth: Literal["gptfuzz", "all"] = "gptfuzz"
    reward_on: Literal["loose", "strict"] = "loose"
    target_system_prompt: str | None = "You are a helpful assistant."
    target_temperature: float = 0.0
    target_max_tokens: int | None = 512
    judge: JudgeKind = "llm"
    control: bool = False
    cache: bool = True
    max_empty_iterations: int = Field(
        default=10, ge=1, description="stop after this many iterations in a row without a valid mutant"
    )

    @field_validator("selection")
    @classmethod
    def _known_policy(cls, value: str) -> str:
        return policy_name(value)

    @property
    def primary_judge(self) -> str:
        """The judge whose verdicts drive the search and the headline rates."""
        return "lexical" if self.judge == "lexical" else "llm"

    @property
    def judges(self) -> list[str]:
        return ["llm", "lexical"] if self.judge == "both" else [self.judge]


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
