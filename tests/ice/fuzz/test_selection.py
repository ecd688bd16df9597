"""Selection policies: MCTS-Explore against hand-worked numbers, and the baselines."""

from __future__ import annotations

import math
import random

import pytest

from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool
from inspect_distill.ice.fuzz.selection import (
    POLICIES,
    EXP3Selection,
    MCTSExplore,
    RandomSelection,
    RoundRobin,
    UCBSelection,
    new_search,
)
from inspect_distill.ice.fuzz.templates import PLACEHOLDER

# random.Random(15).random() draws: 0.9652..., 0.0117... (first >= alpha = 0.1, second < alpha)
DRAWS_15 = (0.965242141552123, 0.011654693792141124)


def node(node_id: str) -> TemplateNode:
    return TemplateNode(id=node_id, text=f"{node_id} {PLACEHOLDER}")


def seeds_pool(*ids: str) -> TemplatePool:
    return TemplatePool([node(i) for i in ids])


def test_precomputed_draws() -> None:
    rng = random.Random(15)
    assert (rng.random(), rng.random()) == DRAWS_15


# --- MCTS-Explore ---


def test_mcts_explore_worked_example() -> None:
    pool = seeds_pool("A", "B", "C")
    a, b, c = pool.seeds
    rng = random.Random(15)
    policy = MCTSExplore(pool, rng, ratio=0.5)  # GPTFuzz's and the paper's exploration weight

    # step 1: ln(1) = 0, every score is 0 -> tie -> first seed; no children, no rng draw
    assert policy.select() is a
    assert policy.step == 1 and a.visits == 1
    policy.update(a, [node("m1-0")], successes=3, trials=10)  # reward 0.3 x max(0.2, 1 - 0) = 0.3
    assert a.reward == pytest.approx(0.3, abs=1e-9)
    a1 = node("m1-0")
    pool.add_child(a, a1)

    # step 2: B (unvisited) scores 0.5 * sqrt(2 ln 2 / 0.01) = 5.887, A only 0.15 + 0.5 * sqrt(2 ln 2 / 1.01)
    assert policy.score(a) == pytest.approx(0.15 + 0.5 * math.sqrt(2 * math.log(1) / 1.01), abs=1e-9)  # step still 1
    assert policy.select() is b
    assert policy.score(a) == pytest.approx(0.15 + 0.5 * math.sqrt(2 * math.log(2) / 1.01), abs=1e-9)
    assert policy.score(c) == pytest.approx(0.5 * math.sqrt(2 * math.log(2) / 0.01), abs=1e-9)
    policy.update(b, [node("m2-0")], successes=0, trials=10)
    assert b.reward == 0.0 and b.visits == 1

    # step 3: C is the last unvisited seed
    assert policy.select() is c
    policy.update(c, [node("m3-0")], successes=1, trials=4)
    assert c.reward == pytest.approx(0.25, abs=1e-9)

    # step 4: all seeds visited once; the exploration terms are equal, the exploitation terms are
    # A 0.3/2 = 0.15 > C 0.25/2 = 0.125 > B 0 -> A. A has a child: draw 0.965 >= 0.1 -> descend to m1-0.
    explore = 0.5 * math.sqrt(2 * math.log(4) / 1.01)
    assert policy.select() is a1
    assert policy.step == 4
    assert (a.visits, b.visits, c.visits, a1.visits) == (2, 1, 1, 1)
    assert policy.score(a) == pytest.approx(0.3 / 3 + 0.5 * math.sqrt(2 * math.log(4) / 2.01), abs=1e-9)
    assert policy.score(b) == pytest.approx(explore, abs=1e-9)
    # a level-1 node earns 0.5 x max(0.2, 1 - 0.1) = 0.45, added to every node on the path [A, m1-0]
    policy.update(a1, [node("m4-0")], successes=5, trials=10)
    assert a.reward == pytest.approx(0.75, abs=1e-9)
    assert a1.reward == pytest.approx(0.45, abs=1e-9)
    assert (b.reward, c.reward) == (0.0, pytest.approx(0.25, abs=1e-9))
    # exactly one draw was used
    assert rng.random() == DRAWS_15[1]


def test_mcts_alpha_stops_the_descent_with_the_seeded_draw() -> None:
    pool = seeds_pool("S")
    s = pool.seeds[0]
    child = node("m1-0")
    pool.add_child(s, child)
    policy = MCTSExplore(pool, random.Random(15))
    assert policy.select() is child  # draw 0.965 >= 0.1: descend
    assert policy.select() is s  # draw 0.0117 < 0.1: stop at the non-leaf seed
    assert (s.visits, child.visits) == (2, 1)
    policy.update(s, [], successes=1, trials=2)  # path [S] only: the child gets nothing
    assert (s.reward, child.reward) == (0.5, 0.0)
    policy.update(child, [], successes=2, trials=2)  # path [S, m1-0], level 1: 1.0 x 0.9
    assert s.reward == pytest.approx(1.4, abs=1e-9)
    assert child.reward == pytest.approx(0.9, abs=1e-9)


def test_mcts_ties_go_to_the_first_node_in_pool_order() -> None:
    pool = seeds_pool("A", "B")
    a = pool.seeds[0]
    first, second = node("m1-0"), node("m1-1")
    pool.add_child(a, first)
    pool.add_child(a, second)
    policy = MCTSExplore(pool, random.Random(0), alpha=0.0)
    assert policy.select() is first  # A and B tie at step 1; m1-0 and m1-1 tie
    assert policy.select() is pool.seeds[1]
    # step 3: the seeds tie again (one visit, no reward) -> A; its unvisited child m1-1 beats m1-0
    policy.update(first, [], 0, 1)
    policy.update(pool.seeds[1], [], 0, 1)
    assert policy.select() is second


def test_mcts_level_multiplier_has_a_beta_floor() -> None:
    pool = seeds_pool("root")
    chain = [pool.seeds[0]]
    for level in range(1, 11):
        child = node(f"m{level}-0")
        pool.add_child(chain[-1], child)
        chain.append(child)
    policy = MCTSExplore(pool, random.Random(0), alpha=0.0)
    assert [policy.level_multiplier(n) for n in chain[:4]] == pytest.approx([1.0, 0.9, 0.8, 0.7], abs=1e-9)
    assert policy.level_multiplier(chain[8]) == pytest.approx(0.2, abs=1e-9)  # 1 - 0.8 = beta
    assert policy.level_multiplier(chain[9]) == 0.2  # 0.1 < beta
    assert policy.level_multiplier(chain[10]) == 0.2  # 0.0 < beta
    # alpha = 0: the descent always reaches the deepest leaf; every node on the path gets 0.5 x 0.2
    selected = policy.select()
    assert selected is chain[10] and selected.level == 10
    assert all(n.visits == 1 for n in chain)
    policy.update(selected, [], successes=1, trials=2)
    assert all(n.reward == pytest.approx(0.1, abs=1e-9) for n in chain)
    # a custom beta changes the floor
    assert MCTSExplore(pool, random.Random(0), beta=0.05).level_multiplier(chain[9]) == pytest.approx(0.1, abs=1e-9)


def test_mcts_parallel_selections_keep_their_own_paths() -> None:
    pool = seeds_pool("A", "B")
    a, b = pool.seeds
    a1 = node("m1-0")
    pool.add_child(a, a1)
    policy = MCTSExplore(pool, random.Random(15))
    first = policy.select()  # step 1: tie -> A, draw 0.965 -> m1-0; path [A, m1-0]
    second = policy.select()  # step 2: B unvisited -> B; path [B]
    assert (first, second) == (a1, b)
    policy.update(second, [], successes=1, trials=1)
    policy.update(first, [], successes=1, trials=2)
    assert (a.reward, a1.reward, b.reward) == (pytest.approx(0.45), pytest.approx(0.45), 1.0)
    with pytest.raises(ValueError, match="no pending select"):
        policy.update(first, [], successes=1, trials=2)


def test_mcts_update_without_trials_gives_no_reward_and_bad_counts_raise() -> None:
    pool = seeds_pool("A")
    policy = MCTSExplore(pool, random.Random(0))
    selected = policy.select()
    policy.update(selected, [], successes=0, trials=0)
    assert selected.reward == 0.0 and selected.visits == 1
    selected = policy.select()
    with pytest.raises(ValueError, match="3 successes in 2 trials"):
        policy.update(selected, [], successes=3, trials=2)


def test_mcts_no_extra_division() -> None:
    # the paper's code divided by 50 once more; here a full success on a seed adds exactly 1.0
    pool = seeds_pool("A")
    policy = MCTSExplore(pool, random.Random(0))
    selected = policy.select()
    policy.update(selected, [node("m1-0")], successes=50, trials=50)
    assert selected.reward == 1.0


def _after_a_sweep(policy: MCTSExplore | UCBSelection) -> MCTSExplore | UCBSelection:
    """Four selections made: A twice with a success rate of 0.3, B and C once with 0.05."""
    a, b, c = policy.pool.seeds
    for seed, visits, reward in ((a, 2, 0.6), (b, 1, 0.05), (c, 1, 0.05)):
        seed.visits, seed.reward = visits, reward
    policy.step = 4
    return policy


@pytest.mark.parametrize("make", [MCTSExplore, UCBSelection])
def test_default_exploration_is_scaled_to_success_rates(make: type[MCTSExplore] | type[UCBSelection]) -> None:
    # rewards are success rates around 0.05-0.3; with the default exploration weight the seed with a six
    # times better rate wins, where GPTFuzz's ratio 0.5 (and UCB1's textbook 1.0) go on exploring B
    textbook = {"ratio": 0.5} if make is MCTSExplore else {"exploration": 1.0}
    assert _after_a_sweep(make(seeds_pool("A", "B", "C"), random.Random(0))).select().id == "A"
    assert _after_a_sweep(make(seeds_pool("A", "B", "C"), random.Random(0), **textbook)).select().id == "B"


def test_mcts_default_still_sweeps_unvisited_seeds_at_paper_rates() -> None:
    # an unvisited seed outranks a seed whose first visit succeeded 40% of the time, at every step of a
    # paper-size run (20 iterations): budget-1000 campaigns visit each seed once, as GPTFuzz's did
    pool = seeds_pool("A", "B")
    a, b = pool.seeds
    policy = MCTSExplore(pool, random.Random(0))
    assert policy.select() is a
    policy.update(a, [], successes=4, trials=10)
    for step in range(2, 21):
        policy.step = step  # select() counts the step, then scores
        assert policy.score(b) > policy.score(a), step
    policy.step = 1
    assert policy.select() is b


# --- baselines ---


def test_random_selection_is_seeded_uniform_over_all_nodes() -> None:
    pool = seeds_pool("A", "B", "C")
    pool.add_child(pool.seeds[0], node("m1-0"))
    policy = RandomSelection(pool, random.Random(3))
    expected_rng = random.Random(3)
    nodes = list(pool)
    expected = [expected_rng.choice(nodes).id for _ in range(12)]
    chosen = []
    for _ in range(12):
        selected = policy.select()
        chosen.append(selected.id)
        policy.update(selected, [], successes=1, trials=4)
    assert chosen == expected
    assert "m1-0" in chosen  # mutants are selectable too
    for n in pool:
        assert n.visits == chosen.count(n.id)
        assert n.reward == pytest.approx(0.25 * n.visits, abs=1e-9)


def test_round_robin_cycles_and_picks_up_new_nodes() -> None:
    pool = seeds_pool("A", "B", "C")
    policy = RoundRobin(pool, random.Random(0))
    assert [policy.select().id for _ in range(4)] == ["A", "B", "C", "A"]
    pool.add_child(pool.seeds[2], node("m1-0"))
    assert [policy.select().id for _ in range(5)] == ["B", "C", "m1-0", "A", "B"]
    b = pool.nodes["B"]
    assert b.visits == 3
    for _ in range(3):
        policy.update(b, [], successes=1, trials=2)
    assert b.reward == pytest.approx(1.5, abs=1e-9)


def test_ucb_sweeps_unvisited_then_exploits() -> None:
    pool = seeds_pool("A", "B", "C")
    a, b, c = pool.seeds
    policy = UCBSelection(pool, random.Random(0), exploration=1.0)
    assert policy.select() is a  # step 1: all scores 0, first in order
    policy.update(a, [], successes=0, trials=10)
    # step 2: A sqrt(2 ln 2 / 2) < B sqrt(2 ln 2 / 1)
    assert policy.select() is b
    policy.update(b, [], successes=0, trials=10)
    assert policy.select() is c
    policy.update(c, [], successes=10, trials=10)
    # step 4: equal visits; C's mean 1/2 wins
    assert policy.select() is c
    assert policy.score(c) == pytest.approx(1 / 3 + math.sqrt(2 * math.log(4) / 3), abs=1e-9)  # 2 visits now
    assert policy.score(a) == pytest.approx(math.sqrt(2 * math.log(4) / 2), abs=1e-9)
    assert (a.visits, b.visits, c.visits) == (1, 1, 2)
    # with no exploration the best mean wins at once
    greedy = UCBSelection(pool, random.Random(0), exploration=0.0)
    assert greedy.select() is c


def test_exp3_probabilities_draws_and_weight_update() -> None:
    pool = seeds_pool("A", "B", "C")
    rng = random.Random(7)  # draws 0.3238..., 0.1508...
    policy = EXP3Selection(pool, rng, gamma=0.05)
    assert policy.probabilities() == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    first = policy.select()  # 0.3238 < 1/3: A's interval
    assert first.id == "A"
    policy.update(first, [], successes=1, trials=2)
    # x = 0.5 / (1/3) = 1.5; log w(A) = 0.05 * 1.5 / 3 = 0.025
    assert policy.log_weights == pytest.approx({"A": 0.025})
    w = math.exp(0.025)
    probabilities = policy.probabilities()
    assert probabilities["A"] == pytest.approx(0.95 * w / (w + 2) + 0.05 / 3, abs=1e-12)
    assert probabilities["B"] == pytest.approx(0.95 / (w + 2) + 0.05 / 3, abs=1e-12)
    assert sum(probabilities.values()) == pytest.approx(1.0, abs=1e-12)
    # a new mutant joins with weight 1
    pool.add_child(first, node("m1-0"))
    probabilities = policy.probabilities()
    assert probabilities["m1-0"] == pytest.approx(0.95 / (w + 3) + 0.05 / 4, abs=1e-12)
    # second draw 0.1508 < p(A) -> A again
    assert policy.select().id == "A" and first.visits == 2
    policy.update(first, [], successes=0, trials=2)  # zero reward: weight unchanged
    assert policy.log_weights == pytest.approx({"A": 0.025})
    assert first.reward == pytest.approx(0.5)


def test_exp3_is_deterministic_with_a_seeded_rng_and_learns() -> None:
    def run(seed: int) -> tuple[list[str], dict[str, float]]:
        pool = seeds_pool("A", "B", "C", "D")
        policy = EXP3Selection(pool, random.Random(seed), gamma=0.3)
        chosen = []
        for _ in range(60):
            selected = policy.select()
            chosen.append(selected.id)
            policy.update(selected, [], successes=2 if selected.id == "C" else 0, trials=2)
        return chosen, policy.probabilities()

    chosen, probabilities = run(11)
    assert run(11) == (chosen, probabilities)
    assert run(12)[0] != chosen
    # the only rewarding node ends up far above uniform; the others share the rest equally
    assert probabilities["C"] > 0.7
    assert probabilities["A"] == pytest.approx(probabilities["B"]) == pytest.approx(probabilities["D"])
    assert chosen[-20:].count("C") > chosen[:20].count("C")


# --- factory ---


def test_a_search_by_name_with_params() -> None:
    seeds = list(seeds_pool("A"))
    assert set(POLICIES) == {"mcts_explore", "random", "round_robin", "ucb", "exp3"}
    pool, policy = new_search("mcts_explore", {"ratio": 1.0, "alpha": 0.2}, seeds, random.Random(0))
    assert isinstance(policy, MCTSExplore) and pool is policy.pool and list(pool)[0] is not seeds[0]
    assert policy.params == {"ratio": 1.0, "alpha": 0.2, "beta": 0.2, "level_penalty": 0.1}
    assert isinstance(new_search("exp3", {"gamma": 0.1}, seeds, random.Random(0))[1], EXP3Selection)
