"""Entry point for Inspect: every public task, solver, scorer and model provider of the package."""

# ruff: noqa: F401
from .ice.task import ice, ice_import
from .providers import gguf_api, replay_api
from .rse.task import rse
