"""PyRIT 1.1.0's GPTFuzz port (`FuzzerGenerator`) against the project's test server: one run, one JSON line.

Run ONLY by the interpreter of a separate virtual environment with `pyrit==1.1.0` (`benchmarks/peer_pyrit.py`
starts it); the project never imports PyRIT and this file imports nothing of the project.

    PYRIT_PYTHON benchmarks/_pyrit_gptfuzz.py --base-url URL --inputs INPUTS.json --budget 2000 --batch-size 100

INPUTS.json: {"questions": [...], "templates": [...]} (templates with PyRIT's `{{ prompt }}` placeholder). The
target is model `gpt-local-target`, the five GPTFuzz converters run on `gpt-local-mutator` (the server answers
them in JSON), the scorer is `SubStringScorer("OpenAI")` (no judge model), storage is in memory, and the
jailbreak goal is above the budget, so the run spends its whole budget instead of stopping at its first success.
"""

import argparse
import asyncio
import json
import random
import time
import urllib.request

import numpy as np
from pyrit.executor.promptgen.fuzzer import (
    FuzzerCrossOverConverter,
    FuzzerExpandConverter,
    FuzzerGenerator,
    FuzzerRephraseConverter,
    FuzzerShortenConverter,
    FuzzerSimilarConverter,
)
from pyrit.prompt_target import OpenAIChatTarget
from pyrit.score import SubStringScorer
from pyrit.setup import IN_MEMORY, initialize_pyrit_async

TARGET = "gpt-local-target"
MUTATOR = "gpt-local-mutator"
CONVERTERS = (FuzzerShortenConverter, FuzzerExpandConverter, FuzzerRephraseConverter, FuzzerCrossOverConverter,
              FuzzerSimilarConverter)


def stats(base_url):
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats", timeout=30) as response:
        return json.load(response)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--budget", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=FuzzerGenerator._DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with open(args.inputs, encoding="utf-8") as handle:
        inputs = json.load(handle)

    started = time.perf_counter()
    random.seed(args.seed)  # the converter is drawn with random.choice
    np.random.seed(args.seed)  # the MCTS descent stops at a non-leaf with np.random
    await initialize_pyrit_async(IN_MEMORY, load_defaults=False, silent=True, seed=args.seed)

    def chat(model):
        return OpenAIChatTarget(endpoint=args.base_url, api_key="test-key", model_name=model)

    generator = FuzzerGenerator(
        objective_target=chat(TARGET),
        template_converters=[cls(converter_target=chat(MUTATOR)) for cls in CONVERTERS],
        scorer=SubStringScorer(substring="OpenAI"),
        batch_size=args.batch_size,
        target_jailbreak_goal_count=args.budget + 1,  # more than the budget can reach: never stop early
    )
    before = stats(args.base_url)
    setup = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    result = await generator.execute_async(prompts=inputs["questions"], prompt_templates=inputs["templates"],
                                           max_query_limit=args.budget)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = stats(args.base_url)
    requests = {model: s["requests"] - before.get(model, {}).get("requests", 0) for model, s in after.items()}
    print(json.dumps({
        "wall_s": wall, "cpu_s": cpu, "setup_s": setup, "target_queries": result.total_queries,
        "iterations": result.total_queries // len(inputs["questions"]), "templates_explored": result.templates_explored,
        "successful_templates": len(result.successful_templates), "jailbreaks": len(result.jailbreak_conversation_ids),
        "requests": requests,
    }))


if __name__ == "__main__":
    asyncio.run(main())
