"""Seed selection policies: which template of the pool to mutate next.

Each policy is a small object over a `TemplatePool`: `select()` returns a node, `update()` feeds back
how many (mutant, question) trials succeeded. Every policy records its statistics on the nodes
(`visits`, `reward`), so a campaign log shows the same fields whatever the policy. `select()` may be
called several times before the matching `update()` calls (parallel selection): each selection is
remembered per node id and consumed, first in first out, by the `update()` for that node.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Sequence
from typing import Any, ClassVar

from inspect_distill.common.names import POLICY_PARAMS, PolicyName
from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool


class SelectionPolicy(ABC):
    """Base class: parameters, pending selections and the reward rule."""

    name: ClassVar[PolicyName]

    def __init__(self, pool: TemplatePool, rng: random.Random, **params: float) -> None:
        self.pool = pool
        self.rng = rng
        self.params: dict[str, float] = {**POLICY_PARAMS[self.name]().model_dump(), **params}
        """The policy's parameters (`common/names.py`): those given, checked by the settings, over the defaults."""
        self._pending: dict[str, deque[Any]] = {}

    @abstractmethod
    def select(self) -> TemplateNode:
        """Choose the next template to mutate."""

    @abstractmethod
    def update(self, selected: TemplateNode, mutants: list[TemplateNode], successes: int, trials: int) -> None:
        """Feed back the result of mutating `selected`.

        `successes` is the number of successful (mutant, question) pairs among `trials` pairs that
        were run and judged (normally len(questions) * len(mutants)); `trials == 0` gives no reward.
        """

    def _remember(self, node: TemplateNode, state: Any = None) -> None:
        self._pending.setdefault(node.id, deque()).append(state)

    def _recall(self, node: TemplateNode) -> Any:
        queue = self._pending.get(node.id)
        if not queue:
            raise ValueError(f"update() for template '{node.id}', which has no pending select().")
        state = queue.popleft()
        if not queue:
            del self._pending[node.id]
        return state

    @staticmethod
    def reward(successes: int, trials: int) -> float | None:
        """The reward of one update, successes / trials in [0, 1]; None when nothing was tried."""
        if trials < 0 or successes < 0 or successes > trials:
            raise ValueError(f"Invalid update: {successes} successes in {trials} trials.")
        return successes / trials if trials else None


class MCTSExplore(SelectionPolicy):
    """MCTS-Explore (GPTFuzz's default).

    `select()`: step += 1; take the best-scoring seed, then descend through the best-scoring
    children, stopping early at each non-leaf with probability `alpha` (one `rng.random()` draw per
    non-leaf reached); visits += 1 on the whole path. Score:
    reward / (visits + 1) + ratio * sqrt(2 * ln(step) / (visits + 0.01)), with the global step;
    ties go to the first node in pool order. `update()`: every node on the path gains
    (successes / trials) * max(beta, 1 - level_penalty * level(selected)).

    The default `ratio` is 0.02, not GPTFuzz's 0.5: rewards are success rates (typically 0.05-0.3), and at
    0.5 the exploration term outweighs them, so the search keeps visiting new nodes and does worse than
    random selection (README, search efficiency). `ratio=0.5` is GPTFuzz's and the paper's search.
    """

    name = "mcts_explore"

    def __init__(self, pool: TemplatePool, rng: random.Random, **params: float) -> None:
        super().__init__(pool, rng, **params)
        self.step = 0

    def score(self, node: TemplateNode) -> float:
        """The node's score at the current step."""
        exploit = node.reward / (node.visits + 1)
        explore = math.sqrt(2 * math.log(self.step) / (node.visits + 0.01)) if self.step > 0 else 0.0
        return exploit + self.params["ratio"] * explore

    def _best(self, nodes: list[TemplateNode]) -> TemplateNode:
        # max() keeps the first of equal scores: ties go to the first in pool order
        return max(nodes, key=self.score)

    def select(self) -> TemplateNode:
        self.step += 1
        current = self._best(self.pool.seeds)
        path = [current]
        while current.children:
            if self.rng.random() < self.params["alpha"]:
                break
            current = self._best(self.pool.children(current))
            path.append(current)
        for node in path:
            node.visits += 1
        self._remember(current, [node.id for node in path])
        return current

    def level_multiplier(self, node: TemplateNode) -> float:
        """max(beta, 1 - level_penalty * level): deeper templates earn less."""
        return max(self.params["beta"], 1 - self.params["level_penalty"] * node.level)

    def update(self, selected: TemplateNode, mutants: list[TemplateNode], successes: int, trials: int) -> None:
        path: list[str] = self._recall(selected)
        reward = self.reward(successes, trials)
        if reward is None:
            return
        gain = reward * self.level_multiplier(selected)
        for node_id in path:
            self.pool.nodes[node_id].reward += gain


class _FlatPolicy(SelectionPolicy):
    """A policy over all pool nodes: visits += 1 at selection, reward += successes / trials at update."""

    def _selected(self, node: TemplateNode, state: Any = None) -> TemplateNode:
        node.visits += 1
        self._remember(node, state)
        return node

    def update(self, selected: TemplateNode, mutants: list[TemplateNode], successes: int, trials: int) -> None:
        state = self._recall(selected)
        reward = self.reward(successes, trials)
        if reward is not None:
            selected.reward += reward
            self._learn(selected, reward, state)

    def _learn(self, node: TemplateNode, reward: float, state: Any) -> None:
        """Policy-specific learning from one reward (none by default)."""


class RandomSelection(_FlatPolicy):
    """Uniform choice over every node in the pool (seeds and accepted mutants), with the given rng."""

    name = "random"

    def select(self) -> TemplateNode:
        return self._selected(self.rng.choice(list(self.pool)))


class RoundRobin(_FlatPolicy):
    """Cycles through the pool in insertion order; mutants added meanwhile join the end of the cycle."""

    name = "round_robin"

    def __init__(self, pool: TemplatePool, rng: random.Random, **params: float) -> None:
        super().__init__(pool, rng, **params)
        self.position = 0

    def select(self) -> TemplateNode:
        nodes = list(self.pool)
        node = nodes[self.position % len(nodes)]
        self.position = self.position % len(nodes) + 1
        return self._selected(node)


class UCBSelection(_FlatPolicy):
    """UCB1 over every node in the pool.

    score = reward / (visits + 1) + exploration * sqrt(2 * ln(step) / (visits + 1)), where reward is
    the node's summed reward, visits its selection count and step the number of selections so far
    (this one included). The +1 smoothing keeps unvisited nodes finite; ties go to the first node in
    pool order, so the first rounds sweep the unvisited nodes in order.

    The default `exploration` is 0.03, scaled to success rates: UCB1's textbook 1.0 never leaves the
    sweep of unvisited nodes here and equals round-robin (README, search efficiency).
    """

    name = "ucb"

    def __init__(self, pool: TemplatePool, rng: random.Random, **params: float) -> None:
        super().__init__(pool, rng, **params)
        self.step = 0

    def score(self, node: TemplateNode) -> float:
        smoothed = node.visits + 1
        return node.reward / smoothed + self.params["exploration"] * math.sqrt(2 * math.log(self.step) / smoothed)

    def select(self) -> TemplateNode:
        self.step += 1
        return self._selected(max(self.pool, key=self.score))


class EXP3Selection(_FlatPolicy):
    """EXP3 (adversarial bandit) over every node in the pool.

    Each node has a weight, kept as a log-weight (no overflow); a node never seen before, such as
    a new mutant, starts at weight 1 (log-weight 0). Selection probability:
    p(i) = (1 - gamma) * w(i) / sum(w) + gamma / K over the K nodes in the pool, drawn with one
    `rng.random()`. Update: the importance-weighted reward x = reward / p(i), with p(i) from the
    selection, gives w(i) *= exp(gamma * x / K).
    """

    name = "exp3"

    def __init__(self, pool: TemplatePool, rng: random.Random, **params: float) -> None:
        super().__init__(pool, rng, **params)
        self.log_weights: dict[str, float] = {}

    def probabilities(self) -> dict[str, float]:
        """The current selection probability of every pool node, by id."""
        gamma = self.params["gamma"]
        logs = {node.id: self.log_weights.get(node.id, 0.0) for node in self.pool}
        top = max(logs.values())
        weights = {node_id: math.exp(value - top) for node_id, value in logs.items()}
        total = sum(weights.values())
        return {node_id: (1 - gamma) * w / total + gamma / len(weights) for node_id, w in weights.items()}

    def select(self) -> TemplateNode:
        probabilities = self.probabilities()
        draw = self.rng.random()
        cumulative = 0.0
        chosen = next(reversed(probabilities))  # float rounding: the last node takes the remainder
        for node_id, p in probabilities.items():
            cumulative += p
            if draw < cumulative:
                chosen = node_id
                break
        return self._selected(self.pool.nodes[chosen], (probabilities[chosen], len(probabilities)))

    def _learn(self, node: TemplateNode, reward: float, state: Any) -> None:
        probability, size = state
        estimate = reward / probability  # importance-weighted reward
        self.log_weights[node.id] = self.log_weights.get(node.id, 0.0) + self.params["gamma"] * estimate / size


POLICIES: dict[PolicyName, type[SelectionPolicy]] = {
    policy.name: policy for policy in (MCTSExplore, RandomSelection, RoundRobin, UCBSelection, EXP3Selection)
}
"""Every policy, by its name in `common/names.py` (`PolicyName`)."""


def new_search(
    name: PolicyName, params: dict[str, float], seeds: Sequence[TemplateNode], rng: random.Random
) -> tuple[TemplatePool, SelectionPolicy]:
    """A fresh pool of copies of the seed templates and the named policy over it, with the settings' parameters."""
    pool = TemplatePool([node.model_copy(deep=True) for node in seeds])
    return pool, POLICIES[name](pool, rng, **params)
