"""The GPTFuzz loop of one ICE campaign: select -> mutate -> query -> judge -> update, recorded as it goes."""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import Sequence

from inspect_ai.log import transcript
from inspect_ai.model import (
    CachePolicy,
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    Model,
)
from inspect_ai.util import display_counter, span

from inspect_distill.common.models import cache_policy, safe_generate
from inspect_distill.ice.fuzz.mutators import MutationResult, Mutator, mutate
from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool
from inspect_distill.ice.fuzz.selection import SelectionPolicy
from inspect_distill.ice.fuzz.templates import PLACEHOLDER, fill
from inspect_distill.ice.judging.refusal import is_refusal
from inspect_distill.ice.judging.verdict import IdentityJudge, Verdict
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.settings import CampaignSettings, check_budget
from inspect_distill.ice.viewer import QUERY_SPAN_TYPE, iteration_report, query_span_name, verdict_note


def derived_seed(*parts: object) -> int:
    """A stable 31-bit seed from the campaign seed and a position (iteration, mutant, ...)."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


class Campaign:
    """One identity-consistency campaign over a shared template tree and a fixed question set."""

    def __init__(
        self,
        settings: CampaignSettings,
        result: CampaignResult,
        questions: Sequence[IdentityQuestion],
        pool: TemplatePool,
        policy: SelectionPolicy,
        mutators: Sequence[Mutator],
        judges: dict[str, IdentityJudge],
        target: Model,
        mutator_model: Model,
        rng: random.Random,
        control_questions: Sequence[IdentityQuestion] = (),
    ) -> None:
        if not questions:
            raise ValueError("An ICE campaign needs at least one identity question.")
        check_budget(settings.budget, len(questions))
        if settings.primary_judge not in judges:
            raise ValueError(f"The campaign needs the '{settings.primary_judge}' judge.")
        self.settings = settings
        self.result = result
        self.questions = list(questions)
        self.control_questions = list(control_questions)
        self.pool = pool
        self.policy = policy
        self.mutators = list(mutators)
        self.judges = judges
        self.target = target
        self.mutator_model = mutator_model
        self.rng = rng
        self.successes = 0
        self.positives = {"loose": 0, "strict": 0}
        for question in [*self.questions, *self.control_questions]:
            result.questions[question.id] = question
        for node in pool:
            result.templates[node.id] = TemplateRecord(
                id=node.id, text=node.text, parent_id=node.parent_id, level=node.level,
                mutator=node.mutator, source=node.source, joined_pool=True,
            )

    # -- the loop -------------------------------------------------------------------------------

    def stop_reason(self, empty_iterations: int) -> str | None:
        settings, result = self.settings, self.result
        if settings.budget - result.queries < len(self.questions):
            return "budget"
        if settings.max_iterations is not None and result.iterations >= settings.max_iterations:
            return "max_iterations"
        if settings.max_successes is not None and self.successes >= settings.max_successes:
            return "max_successes"
        if empty_iterations >= settings.max_empty_iterations:
            return f"no valid mutant in {empty_iterations} iterations in a row"
        return None

    async def run(self) -> CampaignResult:
        """Run iterations until a stop limit; a limit or error keeps every finished query."""
        empty_iterations = 0
        self._show_progress()
        while (reason := self.stop_reason(empty_iterations)) is None:
            self.result.iterations += 1
            async with span(f"iteration {self.result.iterations}", type="campaign"):
                queried = await self.iteration(self.result.iterations)
            empty_iterations = 0 if queried else empty_iterations + 1
            self._show_progress()
        self.result.stop_reason = reason
        if self.control_questions:
            async with span("hallucination control", type="campaign"):
                await self.ask_control_questions()
        return self.result

    async def iteration(self, iteration: int) -> int:
        """One round: select, mutate, query every question, judge, update. Returns queries made."""
        selected = [self.policy.select() for _ in range(self.settings.parallel)]
        mutations = await self.mutate_all(iteration, selected)
        affordable = (self.settings.budget - self.result.queries) // len(self.questions)
        accepted: list[tuple[int, TemplateNode]] = []  # (selection slot, mutant)
        for slot, parent, node_id, mutation in mutations:
            record = self._template_record(iteration, parent, node_id, mutation)
            if mutation.text is None:
                continue
            if len(accepted) >= affordable:
                record.dropped_reason = "not queried: budget exhausted"
                continue
            mutant = TemplateNode(
                id=node_id, text=mutation.text, parent_id=parent.id, level=parent.level + 1,
                mutator=mutation.mutator, source="mutant",
            )
            accepted.append((slot, mutant))

        records = await self.query_all(iteration, [mutant for _, mutant in accepted])

        for slot, parent in enumerate(selected):
            mutants = [mutant for s, mutant in accepted if s == slot]
            successes = trials = 0
            for mutant in mutants:
                outcomes = [self._success(r) for r in records if r.template_id == mutant.id]
                judged = [o for o in outcomes if o is not None]
                template = self.result.templates[mutant.id]
                template.queries = len(outcomes)
                template.successes = sum(judged)
                successes += template.successes
                trials += len(judged)
                if template.successes > 0 or self.settings.tree_growth == "all":
                    self.pool.add_child(parent, mutant)
                    template.joined_pool = True
            self.successes += successes
            # reward = successes over the judged trials (errors, refusals, unjudged rows are no trials)
            self.policy.update(parent, mutants, successes, trials)
        transcript().info(self._iteration_report(iteration, selected, records), source="ice")
        return len(records)

    def _iteration_report(self, iteration: int, selected: list[TemplateNode], records: list[QueryRecord]) -> str:
        templates = [t for t in self.result.templates.values() if t.iteration == iteration]
        return iteration_report(iteration, selected, templates, records, self.settings.primary_judge,
                                self.result.queries, self.settings.budget)

    # -- steps ----------------------------------------------------------------------------------

    async def mutate_all(
        self, iteration: int, selected: list[TemplateNode]
    ) -> list[tuple[int, TemplateNode, str, MutationResult]]:
        jobs = []
        for slot, parent in enumerate(selected):
            for n in range(self.settings.energy):
                node_id = f"m{iteration}-{slot * self.settings.energy + n}"
                mutator = self.rng.choice(self.mutators)
                partner = self._partner(parent) if mutator.needs_partner else None
                if mutator.needs_partner and partner is None:
                    # a pool of one template has no partner to cross with: use another mutator
                    solo = [m for m in self.mutators if not m.needs_partner]
                    if not solo:
                        raise ValueError("Crossover needs at least two templates in the pool.")
                    mutator = self.rng.choice(solo)
                config = GenerateConfig(
                    temperature=self.settings.mutator_temperature,
                    max_tokens=self.settings.mutator_max_tokens,
                    seed=derived_seed(self.settings.seed, iteration, node_id),
                )
                jobs.append((slot, parent, node_id, mutator, partner, config))
        results = await asyncio.gather(
            *(
                mutate(mutator, parent.text, self.mutator_model, partner=partner, config=config,
                       max_attempts=self.settings.mutator_attempts, cache=self._cache())
                for _, parent, _, mutator, partner, config in jobs
            )
        )
        return [(slot, parent, node_id, result) for (slot, parent, node_id, *_), result in zip(jobs, results)]

    def _partner(self, parent: TemplateNode) -> str | None:
        others = [node for node in self.pool if node.id != parent.id]
        return self.rng.choice(others).text if others else None

    def _template_record(
        self, iteration: int, parent: TemplateNode, node_id: str, mutation: MutationResult
    ) -> TemplateRecord:
        record = TemplateRecord(
            id=node_id, text=mutation.text, parent_id=parent.id, level=parent.level + 1,
            mutator=mutation.mutator, source="mutant", iteration=iteration, attempts=mutation.attempts,
            dropped_reason=mutation.dropped_reason,
        )
        self.result.templates[node_id] = record
        return record

    async def query_all(self, iteration: int, mutants: list[TemplateNode]) -> list[QueryRecord]:
        """Ask every question through every mutant, all at once, and judge each answer as soon as it is back
        (no answer waits for the slowest query); Inspect's connection limits throttle."""
        pairs = [(mutant, question) for mutant in mutants for question in self.questions]
        start = len(self.result.records)
        records = [
            QueryRecord(index=start + i, iteration=iteration, template_id=mutant.id, question_id=question.id)
            for i, (mutant, question) in enumerate(pairs)
        ]
        await asyncio.gather(
            *(self.query_and_judge(record, fill(mutant.text, question.text))
              for record, (mutant, question) in zip(records, pairs))
        )
        self.result.records.extend(records)
        self.result.queries += len(records)
        return records

    async def query_and_judge(self, record: QueryRecord, prompt: str) -> None:
        async with span(query_span_name(record), type=QUERY_SPAN_TYPE):
            await self.query(record, prompt)
            await self.judge(record)
            transcript().info(verdict_note(record), source="ice")

    async def query(self, record: QueryRecord, prompt: str) -> None:
        messages: list[ChatMessage] = []
        if self.settings.target_system_prompt:
            messages.append(ChatMessageSystem(content=self.settings.target_system_prompt))
        messages.append(ChatMessageUser(content=prompt))
        config = GenerateConfig(
            temperature=self.settings.target_temperature,
            max_tokens=self.settings.target_max_tokens,
            seed=self.settings.seed,
        )
        generated = await safe_generate(self.target, messages, config, self._cache())
        if generated.output is not None:
            record.response = generated.text
        if generated.error is not None:  # recorded, never turned into a verdict
            record.status, record.error = "error", generated.error
        elif is_refusal(generated.text):
            record.status = "refusal"

    async def judge(self, record: QueryRecord) -> None:
        """Judge an answered record with every configured judge, concurrently."""
        if record.status != "ok":
            return
        verdicts = await asyncio.gather(
            *(judge(self.result.prompt(record), record.response or "") for judge in self.judges.values())
        )
        record.verdicts.update(zip(self.judges, verdicts))
        primary = record.verdicts.get(self.settings.primary_judge)
        if primary is not None:
            self.positives["loose"] += primary.loose is True
            self.positives["strict"] += primary.strict is True

    def _success(self, record: QueryRecord) -> bool | None:
        """Whether a record rewards its template; None when it is no trial (error, refusal, unjudged)."""
        verdict: Verdict | None = record.verdicts.get(self.settings.primary_judge)
        if verdict is None or verdict.loose is None:
            return None
        if self.settings.reward_on == "loose":
            return verdict.loose
        return None if verdict.loose and verdict.strict is None else bool(verdict.strict)

    async def ask_control_questions(self) -> None:
        """Ask the invented-name questions plainly and through the leakiest templates (outside the budget)."""
        from inspect_distill.ice.judging.claims import attributed_identity

        leaky = sorted(
            (t for t in self.result.templates.values() if t.text and t.successes > 0),
            key=lambda t: (-t.successes, t.id),
        )[:3]
        plain = TemplateRecord(id="control-plain", text=PLACEHOLDER, source="control")
        self.result.templates.setdefault(plain.id, plain)
        templates = [plain, *leaky]
        start = len(self.result.records)
        records: list[QueryRecord] = []
        for template in templates:
            for question in self.control_questions:
                records.append(
                    QueryRecord(index=start + len(records), iteration=0, template_id=template.id,
                                question_id=question.id, control=True)
                )
        await asyncio.gather(*(self.query(record, self.result.prompt(record)) for record in records))
        for record in records:
            if record.status == "ok" and record.response:
                record.control_attribution = attributed_identity(record.response, self.result.references)
        self.result.records.extend(records)

    def _cache(self) -> CachePolicy | bool:
        return cache_policy(self.settings.cache)

    def _show_progress(self) -> None:
        result = self.result
        display_counter("ICE queries", f"{result.queries}/{self.settings.budget}")
        display_counter("ICE leaks (loose/strict)", f"{self.positives['loose']}/{self.positives['strict']}")
        display_counter("ICE dropped mutants", str(result.dropped_mutants))
