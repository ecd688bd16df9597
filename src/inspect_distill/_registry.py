"""Entry point for Inspect: every public task, solver, scorer and model provider of the package."""

# ruff: noqa: F401
from .providers import gguf_api, replay_api
from .ice.task import ice
from .ice.task_import import ice_import
from .rse.task import rse
