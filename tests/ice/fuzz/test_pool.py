"""The template tree: seeds, children, levels, order, and bad input."""

from __future__ import annotations

import pytest

from inspect_distill.ice.fuzz.pool import TemplateNode, TemplatePool
from inspect_distill.ice.fuzz.templates import PLACEHOLDER


def _node(node_id: str, **kwargs: object) -> TemplateNode:
    return TemplateNode(id=node_id, text=f"{node_id}: {PLACEHOLDER}", **kwargs)  # type: ignore[arg-type]


def test_pool_tracks_seeds_children_levels_and_order() -> None:
    seeds = [_node("seed-a"), _node("seed-b")]
    pool = TemplatePool(seeds)
    child = _node("m1-0", mutator="shorten", source="mutant")
    pool.add_child(seeds[1], child)
    grandchild = _node("m2-0", source="mutant")
    pool.add_child(child, grandchild)
    assert (child.parent_id, child.level) == ("seed-b", 1)
    assert (grandchild.parent_id, grandchild.level) == ("m1-0", 2)
    assert pool.children(seeds[1]) == [child] and seeds[1].children == ["m1-0"]
    assert pool.children(seeds[0]) == []
    assert [n.id for n in pool] == ["seed-a", "seed-b", "m1-0", "m2-0"]
    assert len(pool) == 4 and pool.seeds == seeds
    assert child.visits == 0 and child.reward == 0.0


def test_pool_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least one seed"):
        TemplatePool([])
    with pytest.raises(ValueError, match="Duplicate"):
        TemplatePool([_node("seed-a"), _node("seed-a")])
    pool = TemplatePool([_node("seed-a")])
    with pytest.raises(ValueError, match="not in the pool"):
        pool.add_child(_node("seed-x"), _node("m1-0"))
    with pytest.raises(ValueError, match="no placeholder"):
        pool.add_child(pool.seeds[0], TemplateNode(id="m1-1", text="lost it"))
    with pytest.raises(ValueError, match="Duplicate"):
        pool.add_child(pool.seeds[0], _node("seed-a"))
