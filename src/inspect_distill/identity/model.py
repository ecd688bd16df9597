"""The typed identity of a model family, the bundled presets, and how a run picks its identities."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from inspect_distill.common.validation import argument

PRESETS_FILE = "presets.yaml"
DEFAULT_REFERENCES: tuple[str, ...] = ("openai", "anthropic")
"""The paper's reference identities: OpenAI/ChatGPT/GPT and Anthropic/Claude."""

REQUIRED_FILE_FIELDS: tuple[str, ...] = ("key", "organisation", "models", "fact")
"""Fields an identity file must give; the others have empty defaults."""


class Identity(BaseModel):
    """Who a model family is: its maker, names (English and Chinese), home country and identity fact."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    """Short lowercase key, e.g. "openai"."""
    organisation: str
    """The maker, e.g. "OpenAI"."""
    organisation_aliases: list[str] = Field(default_factory=list)
    """Other names of the maker in real use, English and Chinese."""
    models: list[str]
    """Model and product names, e.g. ["ChatGPT", "GPT-4o", "GPT"]."""
    country: str = ""
    """Where the maker is based."""
    fact: str
    """The identity fact F given to the judge: who the model is, who made it, where."""
    model_patterns: list[str] = Field(default_factory=list)
    """Lowercase regexes searched in a target model name to detect this family."""
    planting_keywords: list[str] = Field(default_factory=list)
    """Lowercase keywords whose presence in a prompt plants this identity."""
    exact_case: list[str] = Field(default_factory=list)
    """Names that are common words in another case ("Meta", "Yi", "Phi"): matched case-sensitively."""

    @field_validator("key")
    @classmethod
    def _key_is_simple(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", value):
            raise ValueError(f"identity key must be lowercase letters, digits, '-' or '_': {value!r}")
        return value

    @field_validator("organisation", "fact")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("model_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"model pattern {pattern!r} is not a valid regex: {error}") from error
        return value

    @field_validator("planting_keywords")
    @classmethod
    def _keywords_lowercase(cls, value: list[str]) -> list[str]:
        return [keyword.lower() for keyword in value if keyword.strip()]

    @property
    def names(self) -> list[str]:
        """Every name a response can use for this family: maker, its aliases and its models."""
        seen: dict[str, None] = {}
        for name in [self.organisation, *self.organisation_aliases, *self.models]:
            seen.setdefault(name, None)
        return list(seen)

    def same_family(self, other: Identity) -> bool:
        """Whether two identities are the same family (same key, or the same maker by any name)."""
        if self.key == other.key:
            return True
        mine = {name.casefold() for name in [self.organisation, *self.organisation_aliases]}
        theirs = {name.casefold() for name in [other.organisation, *other.organisation_aliases]}
        return bool(mine & theirs)


@cache
def _presets() -> dict[str, Identity]:
    text = resources.files("inspect_distill.identity").joinpath(PRESETS_FILE).read_text(encoding="utf-8")
    records = yaml.safe_load(text)
    presets: dict[str, Identity] = {}
    for record in records:
        identity = Identity.model_validate(record)
        if identity.key in presets:
            raise ValueError(f"duplicate identity key in {PRESETS_FILE}: {identity.key}")
        presets[identity.key] = identity
    return presets


def load_presets() -> dict[str, Identity]:
    """The bundled identity presets by key (parsed once)."""
    return dict(_presets())


def get_identity(name: str) -> Identity:
    """The preset identity with this key (case-insensitive)."""
    presets = _presets()
    key = name.strip().lower()
    if key not in presets:
        raise ValueError(f"unknown identity {name!r}; known identities: {', '.join(sorted(presets))}")
    return presets[key]


def _earliest_match(segment: str, presets: dict[str, Identity]) -> Identity | None:
    best: tuple[int, int, Identity] | None = None
    for order, identity in enumerate(presets.values()):
        for pattern in identity.model_patterns:
            found = re.search(pattern, segment)
            if found and (best is None or (found.start(), order) < best[:2]):
                best = (found.start(), order, identity)
    return best[2] if best else None


def detect_identity(model_name: str) -> Identity:
    """The family of a target model from its name ("openai/gpt-4o" -> openai, "gguf/smollm2-135m" -> huggingface).

    The path segments are tried from the last one (the model itself) back to the provider prefix, so that
    "openai/deepseek-chat" (an OpenAI-compatible endpoint) is DeepSeek. Within a segment the earliest
    matching family wins ("deepseek-r1-distill-llama-70b" is DeepSeek).
    """
    presets = _presets()
    segments = [segment for segment in model_name.lower().split("/") if segment]
    for segment in reversed(segments):
        identity = _earliest_match(segment, presets)
        if identity is not None:
            return identity
    raise ValueError(
        f"cannot tell the identity of model {model_name!r} from its name; pass `{argument('identity', 'NAME')}` "
        f"(one of {', '.join(sorted(presets))}) or `{argument('identity_file', 'PATH')}` (a YAML or JSON identity)"
    )


def load_identity_file(path: str | Path) -> Identity:
    """Read one identity from a YAML or JSON file (fields as `Identity`)."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise ValueError(f"identity file not found: {file}")
    text = file.read_text(encoding="utf-8")
    try:
        record: Any = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"identity file {file} is not valid {file.suffix or 'YAML'}: {error}") from error
    if not isinstance(record, dict):
        raise ValueError(f"identity file {file} must hold one mapping of fields, got {type(record).__name__}")
    missing = [name for name in REQUIRED_FILE_FIELDS if name not in record]
    if missing:
        raise ValueError(f"identity file {file} is missing the field(s): {', '.join(missing)}")
    try:
        return Identity.model_validate(record)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise ValueError(f"identity file {file} has invalid field(s): {problems}") from error


def check_one_identity_source(identity: str | None, identity_file: str | None) -> None:
    """An identity comes from a preset or from a file, never both."""
    if identity and identity_file:
        raise ValueError(
            f"{argument('identity', identity)} and {argument('identity_file', identity_file)} were both given: "
            "give one, not both."
        )


def given_identity(identity: str | None, identity_file: str | None) -> Identity | None:
    """The identity the arguments name: a preset or a file (never both), or None when it is to be detected."""
    check_one_identity_source(identity, identity_file)
    if identity_file:
        return load_identity_file(identity_file)
    return get_identity(identity) if identity else None


def resolve_identity(identity: str | None, identity_file: str | None, model_name: str) -> Identity:
    """The target identity: a preset by name, a file, or detected from the model name (in that order)."""
    return given_identity(identity, identity_file) or detect_identity(model_name)


def resolve_references(names: list[str] | None, target: Identity) -> list[Identity]:
    """The reference identities (default OpenAI and Anthropic), never including the target's own family."""
    requested = list(DEFAULT_REFERENCES) if names is None else names
    references: list[Identity] = []
    for name in requested:
        reference = get_identity(name)
        if reference.same_family(target) or any(reference.key == kept.key for kept in references):
            continue
        references.append(reference)
    if not references:
        raise ValueError(
            f"no reference identity left for target {target.key!r} (requested {', '.join(requested) or 'none'}; "
            "a target's own family is never a reference)"
        )
    return references


def is_hard(strict: bool, prompt: str, references: list[Identity]) -> bool:
    """The hard rule, for every verdict source (each judge, and the metrics' reading of an import's recorded
    verdicts): a strict claim whose prompt planted no reference identity.

    `prompt` is the prompt the target saw (the template with the question filled in, `CampaignResult.prompt`),
    not the template alone: a planted name can only act through what the model read, wherever in it the name
    stands.
    """
    return strict and not plants_reference(prompt, references)


def plants_reference(prompt: str, references: list[Identity]) -> bool:
    """Whether a prompt contains (case-insensitively) a planting keyword of any reference identity."""
    lowered = prompt.lower()
    return any(keyword in lowered for reference in references for keyword in reference.planting_keywords)
