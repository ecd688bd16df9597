"""Identities of model families: who a model is, who made it, and the names a judge can match."""

from inspect_distill.identity.model import (
    Identity,
    detect_identity,
    get_identity,
    is_hard,
    load_identity_file,
    load_presets,
    plants_reference,
    resolve_identity,
    resolve_references,
)

__all__ = [
    "Identity",
    "detect_identity",
    "get_identity",
    "is_hard",
    "load_identity_file",
    "load_presets",
    "plants_reference",
    "resolve_identity",
    "resolve_references",
]
