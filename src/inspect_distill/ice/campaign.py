"""The GPTFuzz loop of one ICE campaign: select -> mutate -> query -> judge -> update, recorded as it goes."""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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

from inspect_distill.common.gc_tuning import fewer_full_collections
from inspect_distill.common.models import cache_policy, safe_generate
from inspect_distill.ice.display import (
    CONTROL_SPAN_TYPE,
    QUERY_SPAN_TYPE,
    control_note,
    control_report,
    iteration_report,
    query_span_name,
    verdict_note,
)
from inspect_distill.ice.fuzz.mutators import MutationResult, Mutator, mutate
from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool
from inspect_distill.ice.fuzz.selection import SelectionPolicy
from inspect_distill.ice.fuzz.templates import PLACEHOLDER, fill
from inspect_distill.ice.judging.claims import attributed_identity
from inspect_distill.ice.judging.refusal import is_refusal
from inspect_distill.ice.judging.verdict import IdentityJudge, Verdict
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.settings import CampaignSettings, check_budget


def derived_seed(*parts: object) -> int:
    """A stable 31-bit seed from the campaign seed and a position (iteration, mutant, ...)."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass
class _MutationJob:
    """One mutant to write: the random draws of its round (mutator, partner) and its generation config."""

    slot: int
    parent: TemplateNode
    node_id: str
    mutator: Mutator
    partner: str | None
    config: GenerateConfig


@dataclass
class _Round:
    """One round (iteration) in flight: what the campaign decided and the hand-overs with its model calls."""

    number: int
    selected: list[TemplateNode]
    jobs: list[_MutationJob]
    accepted: asyncio.Future[None]
    """Set by the round's calls once its mutants are paid for (`_accept`)."""
    answered: asyncio.Future[None]
    """Set by the round's calls when every query is answered and judged."""
    reported: asyncio.Future[str]
    """Set by the campaign once it has taken the round's results in: the round's report for the transcript."""
    task: asyncio.Task[None] = field(init=False)
    mutants: list[tuple[int, TemplateNode]] = field(default_factory=list)
    """(selection slot, mutant) of every mutant paid for."""
    records: list[QueryRecord] = field(default_factory=list)


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
        """Reward successes of the rounds taken in (what the next selection sees)."""
        self._reserved = 0
        """Target queries paid for by the rounds that have paid (in round order)."""
        self._paid: list[int] = []
        """Target queries paid for by each round, in round order."""
        self._rounds: dict[int, _Round] = {}
        """The rounds in flight (opened, not taken in yet)."""
        self.positives = {"loose": 0, "strict": 0}
        self._system: list[ChatMessage] = (
            [ChatMessageSystem(content=settings.target_system_prompt)] if settings.target_system_prompt else []
        )
        self._target_config = GenerateConfig(
            temperature=settings.target_temperature, max_tokens=settings.target_max_tokens, seed=settings.seed
        )
        for question in [*self.questions, *self.control_questions]:
            result.questions[question.id] = question
        for node in pool:
            result.templates[node.id] = TemplateRecord(
                id=node.id, text=node.text, parent_id=node.parent_id, level=node.level,
                mutator=node.mutator, source=node.source, joined_pool=True,
            )

    # -- the loop -------------------------------------------------------------------------------
    #
    # Rounds run as a pipeline with delayed feedback (`lag` = L). Before round k opens, `_run_rounds` takes in
    # the results of rounds up to k-1-L, in order (reward, tree growth), and checks the stop limits; then it
    # selects round k's templates and draws its mutators and partners. So the selection of round k sees
    # exactly rounds 1 .. k-1-L, whatever the timing; rounds k-L .. k-1 are in flight meanwhile. With L = 0
    # this is the strict rounds of GPTFuzz and the paper.
    #
    # A round's model calls run in its own task (`_round_calls`): its mutations (beside other rounds' calls),
    # then the payment for its mutants, in round order (`_accept`: round k pays from what rounds < k left, so
    # the payment depends on the mutations only), then its queries and judgments. The budget check before
    # round k opens counts the rounds it cannot see yet at their most (every mutant paid for); when that does
    # not fit, it waits for those rounds' payments, one at a time in order, before it decides.

    def stop_reason(self, paid: int, unpaid_rounds: int, empty_iterations: int) -> str | None:
        """Why no further round may open, or None.

        Args:
            paid: target queries paid for by the rounds counted so far.
            unpaid_rounds: open rounds not counted yet, each counted at its most (all its mutants paid for).
            empty_iterations: counted rounds in a row without a valid mutant.
        """
        settings = self.settings
        most = settings.parallel * settings.energy * len(self.questions)
        if settings.budget - paid - unpaid_rounds * most < len(self.questions):
            return "budget"
        if settings.max_iterations is not None and self.result.iterations >= settings.max_iterations:
            return "max_iterations"
        if settings.max_successes is not None and self.successes >= settings.max_successes:
            return "max_successes"
        if empty_iterations >= settings.max_empty_iterations:
            return f"no valid mutant in {empty_iterations} iterations in a row"
        return None

    async def run(self) -> CampaignResult:
        """Run rounds until a stop limit; a limit or error keeps every finished round."""
        self._show_progress()
        try:
            with fewer_full_collections():
                self.result.stop_reason = await self._run_rounds()
        finally:
            await self._cancel()
        if self.control_questions:
            async with span("hallucination control", type="campaign"):
                await self.ask_control_questions()
        return self.result

    async def _run_rounds(self) -> str:
        """Take in, check and open rounds in the order above, then let the rounds in flight finish; the stop
        reason."""
        lag = self.settings.lag
        opened = updated = counted = 0  # rounds opened, taken in, and whose payment is counted
        paid = empty_iterations = 0  # queries paid by the counted rounds; of those, the last ones without a mutant
        previous: _Round | None = None
        while True:
            while updated < opened - lag:  # the rounds the next selection sees
                updated += 1
                await self._finish(self._rounds[updated])
            while True:
                if counted < updated:  # a round taken in has paid
                    counted += 1
                elif (reason := self.stop_reason(paid, opened - counted, empty_iterations)) == "budget" \
                        and counted < opened:  # the budget is decided by the next round's payment
                    await self._wait(self._rounds[counted + 1].accepted)
                    counted += 1
                else:
                    break
                paid += self._paid[counted - 1]
                empty_iterations = 0 if self._paid[counted - 1] else empty_iterations + 1
            if reason is not None:
                break
            opened += 1
            self.result.iterations = opened
            previous = self._rounds[opened] = self._open(opened, previous)
        while updated < opened:  # the rounds still in flight finish and count
            updated += 1
            await self._finish(self._rounds[updated])
        return reason

    def _open(self, iteration: int, previous: _Round | None) -> _Round:
        """Select the round's templates, draw its mutators and partners, and start its model calls."""
        selected = [self.policy.select() for _ in range(self.settings.parallel)]
        loop = asyncio.get_running_loop()
        round_ = _Round(
            number=iteration, selected=selected, jobs=self._mutation_jobs(iteration, selected),
            accepted=loop.create_future(), answered=loop.create_future(), reported=loop.create_future(),
        )
        round_.task = asyncio.create_task(self._round_calls(round_, previous), name=f"ice iteration {iteration}")
        return round_

    async def _round_calls(self, round_: _Round, previous: _Round | None) -> None:
        """A round's model calls: its mutations; once the previous round has paid for its mutants, the payment
        for this round's; then every query and its judgments, each judged as soon as it is back (Inspect's
        connection limits throttle)."""
        async with span(f"iteration {round_.number}", type="campaign"):
            mutations = await self._mutate(round_.jobs)
            if previous is not None:
                await previous.accepted
            queries = self._accept(round_, mutations)
            round_.accepted.set_result(None)
            await asyncio.gather(*(self.query_and_judge(record, prompt) for record, prompt in queries))
            round_.answered.set_result(None)
            transcript().info(await round_.reported, source="ice")

    async def _wait(self, future: asyncio.Future[None]) -> None:
        """Wait for a round's hand-over; a round whose calls failed raises its error here."""
        while not future.done():
            tasks = [round_.task for round_ in self._rounds.values()]
            for task in tasks:
                if task.done():  # a round in flight ends only once taken in: this one failed
                    task.result()
                    raise RuntimeError(f"{task.get_name()} ended before it was taken in.")
            waiting: list[asyncio.Future[Any]] = [future, *tasks]
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        future.result()

    async def _cancel(self) -> None:
        """Stop the model calls of rounds left unfinished by an error or a limit."""
        tasks = [round_.task for round_ in self._rounds.values() if not round_.task.done()]
        self._rounds.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _accept(self, round_: _Round, mutations: list[tuple[int, TemplateNode, str, MutationResult]]
                ) -> list[tuple[QueryRecord, str]]:
        """Record the round's mutants and pay for those the budget affords, in order; the rest are recorded as
        not queried. Rounds pay in round order. Returns the queries to make and their prompts."""
        iteration = round_.number
        affordable = (self.settings.budget - self._reserved) // len(self.questions)
        for slot, parent, node_id, mutation in mutations:
            record = self._template_record(iteration, parent, node_id, mutation)
            if mutation.text is None:
                continue
            if len(round_.mutants) >= affordable:
                record.dropped_reason = "not queried: budget exhausted"
                continue
            mutant = TemplateNode(
                id=node_id, text=mutation.text, parent_id=parent.id, level=parent.level + 1,
                mutator=mutation.mutator, source="mutant",
            )
            round_.mutants.append((slot, mutant))
        pairs = [(mutant, question) for _, mutant in round_.mutants for question in self.questions]
        round_.records = [
            QueryRecord(index=self._reserved + i, iteration=iteration, template_id=mutant.id, question_id=question.id)
            for i, (mutant, question) in enumerate(pairs)
        ]
        self._reserved += len(round_.records)
        self._paid.append(len(round_.records))
        return [(record, fill(mutant.text, question.text)) for record, (mutant, question) in zip(round_.records, pairs)]

    async def _finish(self, round_: _Round) -> None:
        """Wait for the round's answers, then take them in: counts, tree growth, the policy's update."""
        await self._wait(round_.answered)
        records = round_.records
        self.result.records.extend(records)
        self.result.queries += len(records)
        for slot, parent in enumerate(round_.selected):
            mutants = [mutant for s, mutant in round_.mutants if s == slot]
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
        del self._rounds[round_.number]
        round_.reported.set_result(self._iteration_report(round_.number, round_.selected, records))
        await round_.task
        self._show_progress()

    def _iteration_report(self, iteration: int, selected: list[TemplateNode], records: list[QueryRecord]) -> str:
        templates = [t for t in self.result.templates.values() if t.iteration == iteration]
        return iteration_report(iteration, selected, templates, records, self.settings.primary_judge,
                                self.result.queries, self.settings.budget)

    # -- steps ----------------------------------------------------------------------------------

    def _mutation_jobs(self, iteration: int, selected: list[TemplateNode]) -> list[_MutationJob]:
        """Every mutant of the round: its id, mutator, partner and generation config (the random draws)."""
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
                jobs.append(_MutationJob(slot, parent, node_id, mutator, partner, config))
        return jobs

    async def _mutate(self, jobs: list[_MutationJob]) -> list[tuple[int, TemplateNode, str, MutationResult]]:
        results = await asyncio.gather(
            *(
                mutate(job.mutator, job.parent.text, self.mutator_model, partner=job.partner, config=job.config,
                       max_attempts=self.settings.mutator_attempts, cache=self._cache())
                for job in jobs
            )
        )
        return [(job.slot, job.parent, job.node_id, result) for job, result in zip(jobs, results)]

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

    async def query_and_judge(self, record: QueryRecord, prompt: str) -> None:
        async with span(query_span_name(record), type=QUERY_SPAN_TYPE):
            await self.query(record, prompt)
            await self.judge(record)
            transcript().info(verdict_note(record), source="ice")

    async def query(self, record: QueryRecord, prompt: str) -> None:
        # one system message and one config for every call: Inspect snapshots a message it has seen once
        messages: list[ChatMessage] = [*self._system, ChatMessageUser(content=prompt)]
        config = self._target_config
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
        return None if verdict.strict_unjudged else bool(verdict.strict)

    async def ask_control_questions(self) -> None:
        """Ask the invented-name questions plainly and through the leakiest templates (outside the budget)."""
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
        async def ask(record: QueryRecord) -> None:
            async with span(query_span_name(record), type=CONTROL_SPAN_TYPE):
                await self.query(record, self.result.prompt(record))
                if record.status == "ok" and record.response:
                    record.control_attribution = attributed_identity(record.response, self.result.references)
                transcript().info(control_note(record), source="ice")

        await asyncio.gather(*(ask(record) for record in records))
        transcript().info(control_report(records, [t.id for t in templates]), source="ice")
        self.result.records.extend(records)

    def _cache(self) -> CachePolicy | bool:
        return cache_policy(self.settings.cache)

    def _show_progress(self) -> None:
        result = self.result
        display_counter("ICE queries", f"{result.queries}/{self.settings.budget}")
        display_counter("ICE leaks (loose/strict)", f"{self.positives['loose']}/{self.positives['strict']}")
        display_counter("ICE dropped mutants", str(result.dropped_mutants))
