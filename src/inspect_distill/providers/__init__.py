"""Model providers: the in-process llama.cpp model (`gguf`) and recorded answers (`replay`)."""

from inspect_ai.model import ModelAPI, modelapi


@modelapi(name="gguf")
def gguf_api() -> type[ModelAPI]:
    """llama.cpp in process on the CPU (needs the `local` extra)."""
    from inspect_distill.providers.gguf import GGUFModelAPI

    return GGUFModelAPI


@modelapi(name="replay")
def replay_api() -> type[ModelAPI]:
    """Answers recorded in JSONL files (arena-hard `model_answer` or plain prompt/response)."""
    from inspect_distill.providers.replay import ReplayModelAPI

    return ReplayModelAPI
