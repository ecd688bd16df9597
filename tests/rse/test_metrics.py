"""RSE metrics against hand-computed values, directly and through Inspect's epoch reducer."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput, get_model
from inspect_ai.scorer import SampleScore, Score
from inspect_ai.solver import generate

from inspect_distill.rse.metrics import (
    rse_by_dataset,
    rse_counts,
    rse_metrics,
    swap_gap_abs,
)
from inspect_distill.rse.reference import reference_answer
from inspect_distill.rse.scorer import rse_similarity
from tests.conftest import run_eval

NAN = math.nan


def _score(dataset: str, overall: float, ngram: float = 0.5, **extra: float) -> SampleScore:
    value = {"overall": overall, "style": NAN if math.isnan(overall) else 1.0, "logic": 1.0, "content": 1.0,
             "ngram": ngram, "rouge_l": ngram / 2, **extra}
    return SampleScore(score=Score(value=value), sample_id=f"{dataset}-{overall}-{ngram}",
                       sample_metadata={"dataset": dataset})


def test_dataset_means_and_unweighted_avg() -> None:
    scores = [_score("arena_hard", 4.0, 0.2), _score("arena_hard", 2.0, 0.4), _score("arena_hard", NAN, 0.6),
              _score("numina", 5.0, 0.1)]
    result = rse_by_dataset(["arena_hard", "numina"])(scores)
    assert isinstance(result, dict)
    assert result["rse_arena_hard"] == pytest.approx(3.0)  # the unscored sample is skipped
    assert result["rse_numina"] == pytest.approx(5.0)
    assert result["rse_avg"] == pytest.approx(4.0)  # (3 + 5) / 2, not the pooled 11/3
    assert result["ngram_arena_hard"] == pytest.approx(0.4)  # cheap signals include the unscored sample
    assert result["ngram_avg"] == pytest.approx((0.4 + 0.1) / 2)
    assert result["rouge_l_numina"] == pytest.approx(0.05)
    assert "rse_norm_avg" not in result


def test_dataset_without_scored_sample_makes_avg_nan() -> None:
    scores = [_score("arena_hard", 4.0), _score("numina", NAN)]
    result = rse_by_dataset(["arena_hard", "numina", "sharegpt"])(scores)
    assert isinstance(result, dict)
    assert result["rse_arena_hard"] == 4.0
    assert math.isnan(result["rse_numina"]) and math.isnan(result["rse_sharegpt"])
    assert math.isnan(result["rse_avg"])


def test_counts_and_swap_gap() -> None:
    scores = [_score("a", 4.0, swap_gap=2.0), _score("a", NAN, swap_gap=NAN), _score("a", 3.0, swap_gap=-1.0)]
    assert rse_counts()(scores) == {"scored": 2.0, "unscored": 1.0}
    assert swap_gap_abs()(scores) == pytest.approx(1.5)


def test_ceiling_normalisation() -> None:
    scores = [_score("arena_hard", 3.0, ceiling=4.0), _score("arena_hard", 4.0, ceiling=NAN),
              _score("numina", 2.0, ceiling=4.0), _score("numina", 4.0, ceiling=4.0)]
    result = rse_by_dataset(["arena_hard", "numina"])(scores)
    assert isinstance(result, dict)
    assert result["ceiling_arena_hard"] == 4.0 and result["ceiling_avg"] == 4.0
    assert result["rse_norm_arena_hard"] == pytest.approx(3.5 / 4.0)
    assert result["rse_norm_numina"] == pytest.approx(3.0 / 4.0)
    assert result["rse_norm_avg"] == pytest.approx((3.5 / 4 + 3.0 / 4) / 2)
    assert rse_counts()(scores) == {"scored": 4.0, "unscored": 0.0, "ceiling_unscored": 1.0}


def test_metric_spec_has_swap_and_ceiling_keys_only_when_on() -> None:
    plain = rse_metrics(["arena_hard"])[0]
    assert isinstance(plain, dict)
    # overall, 2-gram and ROUGE-L first: the rows of the viewer's header (`HEADER_KEYS`)
    assert list(plain) == ["overall", "ngram", "rouge_l", "style", "logic", "content"]
    full = rse_metrics(["arena_hard"], swap=True, ceiling=True)[0]
    assert isinstance(full, dict)
    assert {"swap_gap", "ceiling", "ceiling_ngram", "ceiling_rouge_l"} <= set(full)


# --- through the epoch reducer ---------------------------------------------------------------------------

# per prompt: dataset and the judge's overall score in its 1st and 2nd call (None: an unreadable reply)
PLAN: dict[str, tuple[str, list[int | None]]] = {
    "Prompt A1": ("arena_hard", [4, 2]),  # reduced 3
    "Prompt A2": ("arena_hard", [5, 5]),  # reduced 5
    "Prompt A3": ("arena_hard", [None, None]),  # unscored in both epochs
    "Prompt N1": ("numina", [1, None]),  # one epoch unscored: reduced 1
    "Prompt N2": ("numina", [2, 4]),  # reduced 3
}


def test_grouped_metrics_and_avg_through_epoch_reducer(tmp_path: Path) -> None:
    recorded = tmp_path / "reference.jsonl"
    recorded.write_text("".join(json.dumps({"prompt": p, "response": f"Reference answer to {p}.", "model": "ref"})
                                + "\n" for p in PLAN))
    samples = [Sample(id=p, input=p, metadata={"dataset": d}) for p, (d, _) in PLAN.items()]
    calls: dict[str, int] = {}

    def judge(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        prompt = next(p for p in PLAN if f"<question>\n{p}\n</question>" in input[0].text)
        calls[prompt] = calls.get(prompt, 0) + 1
        overall = PLAN[prompt][1][calls[prompt] - 1]
        reply = "unreadable" if overall is None else f'{{"style": 1, "logic": 1, "content": 1, "overall": {overall}}}'
        return ModelOutput.from_content(model="judge", content=reply)

    def tested(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        return ModelOutput.from_content(model="tested", content=f"Tested answer to {input[-1].text}.")

    task = Task(dataset=MemoryDataset(samples), solver=[reference_answer(reference_answers=str(recorded)), generate()],
                scorer=rse_similarity(retries=0), metrics=rse_metrics(["arena_hard", "numina"]), epochs=2)
    log = run_eval(task, get_model("mockllm/tested", custom_outputs=tested), tmp_path / "logs", max_samples=1,
                   model_roles={"grader": get_model("mockllm/judge", custom_outputs=judge)})
    assert log.status == "success", log.error
    assert all(count == 2 for count in calls.values())
    scores = {s.name: s for s in log.results.scores}
    summary = scores["rse_similarity"].metrics
    assert summary["rse_arena_hard"].value == pytest.approx(4.0)  # (3 + 5) / 2
    assert summary["rse_numina"].value == pytest.approx(2.0)  # (1 + 3) / 2
    assert summary["rse_avg"].value == pytest.approx(3.0)
    assert summary["unscored"].value == 1.0 and summary["scored"].value == 4.0
    assert scores["overall"].metrics["mean"].value == pytest.approx((3 + 5 + 1 + 3) / 4)
    assert scores["overall"].unscored_samples == 1 and scores["overall"].scored_samples == 4
    assert scores["ngram"].unscored_samples == 0 and scores["ngram"].scored_samples == 5
