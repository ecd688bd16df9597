"""Entry point for Inspect: every public task, solver, scorer and model provider of the package."""

# ruff: noqa: F401
from inspect_distill.ice.task import ice, ice_import
from inspect_distill.providers import gguf_api, replay_api
from inspect_distill.rse.task import rse
