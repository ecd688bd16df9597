"""The template tree of a campaign: seeds (level 0) and the mutants that joined, with the selection
policy's statistics on each node."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, Field

from inspect_distill.ice.fuzz.templates import has_placeholder


class TemplateNode(BaseModel):
    """One template in the fuzzing tree, with the selection policy's statistics."""

    id: str
    """Seeds: "seed-<source id>"; mutants: "m<iteration>-<n>" (assigned by the campaign)."""
    text: str
    parent_id: str | None = None
    level: int = 0
    """0 for seeds, the parent's level + 1 for mutants (set by `TemplatePool.add_child`)."""
    mutator: str | None = None
    source: str = "builtin"
    """"builtin" | "gptfuzz" | a file path | "mutant"."""
    kind: str | None = None
    """Style of a built-in seed (role-play, format-forcing, ...), if known."""
    children: list[str] = Field(default_factory=list)
    visits: int = 0
    reward: float = 0.0


class TemplatePool:
    """The template tree: seeds (level 0) and accepted mutants, in insertion order."""

    def __init__(self, seeds: list[TemplateNode]) -> None:
        if not seeds:
            raise ValueError("A template pool needs at least one seed template.")
        self.seeds: list[TemplateNode] = []
        self.nodes: dict[str, TemplateNode] = {}
        for seed in seeds:
            if seed.level != 0 or seed.parent_id is not None:
                raise ValueError(f"Seed template '{seed.id}' must have level 0 and no parent.")
            self._add(seed)
            self.seeds.append(seed)

    def _add(self, node: TemplateNode) -> None:
        if node.id in self.nodes:
            raise ValueError(f"Duplicate template id '{node.id}' in the pool.")
        if not has_placeholder(node.text):
            raise ValueError(f"Template '{node.id}' has no placeholder.")
        self.nodes[node.id] = node

    def add_child(self, parent: TemplateNode, child: TemplateNode) -> None:
        """Add a mutant under its parent: sets the child's `parent_id` and `level`."""
        if self.nodes.get(parent.id) is not parent:
            raise ValueError(f"Parent template '{parent.id}' is not in the pool.")
        child.parent_id = parent.id
        child.level = parent.level + 1
        self._add(child)
        parent.children.append(child.id)

    def children(self, node: TemplateNode) -> list[TemplateNode]:
        """The node's children, in the order they were added."""
        return [self.nodes[child_id] for child_id in node.children]

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[TemplateNode]:
        return iter(list(self.nodes.values()))
