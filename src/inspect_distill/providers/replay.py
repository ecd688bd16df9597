"""Recorded-answer model API: `--model replay/<file.jsonl or directory>`.

Answers a request with the response recorded for its last user message, so that real answers of models
that cannot be called here can still be evaluated. Two record formats are read:

- arena-hard `model_answer`: `{"uid", "model", "messages": [{"role": "user", "content": str},
  {"role": "assistant", "content": {"answer": str}}, ...]}`
- plain: `{"prompt": str, "response": str, "model": str (optional)}`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelCall,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.tool import ToolChoice, ToolInfo
from pydantic import BaseModel

from inspect_distill.common.jsonl import read_jsonl
from inspect_distill.common.text import normalize_whitespace


class ReplayError(ValueError):
    """A recorded-answer file cannot be used, or a request has no recorded answer."""


class RecordedAnswer(BaseModel):
    """One recorded (prompt, response) pair."""

    prompt: str
    response: str
    model: str | None = None
    source: str
    line: int


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        for key in ("answer", "text", "content"):
            if isinstance(content.get(key), str):
                return str(content[key])
    if isinstance(content, list):
        return "".join(_content_text(part) for part in content)
    raise ReplayError(f"unreadable message content: {str(content)[:80]!r}")


def _answers_from_record(record: dict[str, Any], source: str, line: int) -> list[RecordedAnswer]:
    model = record.get("model")
    if "prompt" in record and "response" in record:
        return [RecordedAnswer(prompt=str(record["prompt"]), response=_content_text(record["response"]),
                               model=model, source=source, line=line)]
    if isinstance(record.get("messages"), list):
        answers: list[RecordedAnswer] = []
        last_user: str | None = None
        for message in record["messages"]:
            role = message.get("role")
            if role == "user":
                last_user = _content_text(message.get("content"))
            elif role == "assistant" and last_user is not None:
                answers.append(RecordedAnswer(prompt=last_user, response=_content_text(message.get("content")),
                                              model=model, source=source, line=line))
        return answers
    raise ReplayError(
        f"{source}:{line}: a record needs either 'prompt' and 'response' or an arena-hard 'messages' list; "
        f"found keys {sorted(record)}"
    )


def read_recorded_answers(path: str | Path) -> list[RecordedAnswer]:
    """Read every recorded answer from a JSONL file or from all JSONL files of a directory."""
    root = Path(path).expanduser()
    if root.is_dir():
        files = sorted(root.glob("*.jsonl"))
        if not files:
            raise ReplayError(f"The directory '{root}' holds no .jsonl files of recorded answers.")
    elif root.is_file():
        files = [root]
    else:
        raise ReplayError(f"No recorded-answer file or directory at '{root}'.")
    answers: list[RecordedAnswer] = []
    for file in files:
        for number, record in read_jsonl(file, ReplayError):
            answers.extend(_answers_from_record(record, str(file), number))
    if not answers:
        raise ReplayError(f"'{root}' holds no recorded answers.")
    return answers


class RecordedAnswers:
    """Recorded answers indexed by normalised prompt (the first record of a prompt wins)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.answers: dict[str, RecordedAnswer] = {}
        self.duplicates = 0
        for answer in read_recorded_answers(path):
            key = normalize_whitespace(answer.prompt)
            if key in self.answers:
                self.duplicates += 1
            else:
                self.answers[key] = answer
        models = {a.model for a in self.answers.values() if a.model}
        self.model: str | None = models.pop() if len(models) == 1 else None

    def __len__(self) -> int:
        return len(self.answers)

    def lookup(self, prompt: str) -> RecordedAnswer | None:
        return self.answers.get(normalize_whitespace(prompt))

    def answer(self, prompt: str) -> RecordedAnswer:
        """The recorded answer to a prompt; a miss is an error naming the prompt and the file."""
        found = self.lookup(prompt)
        if found is None:
            excerpt = normalize_whitespace(prompt)[:80]
            raise ReplayError(f"No recorded answer in '{self.path}' for the prompt starting {excerpt!r}.")
        return found


class ReplayModelAPI(ModelAPI):
    """Answers from recorded responses; the model name becomes the recorded model's name."""

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        if model_args:
            raise ValueError(f"Unknown model args for the replay provider: {sorted(model_args)}")
        self.recorded = RecordedAnswers(model_name)
        self.source_path = model_name
        if self.recorded.model:
            self.model_name = self.recorded.model

    def max_connections(self) -> int:
        return 100

    def connection_key(self) -> str:
        return self.source_path

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        user_messages = [m for m in input if m.role == "user"]
        if not user_messages:
            raise ReplayError("The replay provider needs a user message to look up a recorded answer.")
        recorded = self.recorded.answer(user_messages[-1].text)
        output = ModelOutput.from_content(model=recorded.model or self.model_name, content=recorded.response)
        output.usage = ModelUsage(input_tokens=0, output_tokens=0, total_tokens=0)
        call = ModelCall.create(
            request={"prompt": user_messages[-1].text[:2000]},
            response={"source": recorded.source, "line": recorded.line, "model": recorded.model},
        )
        return output, call

    async def count_text_tokens(self, text: str) -> int:
        # recorded answers have no tokenizer; a whitespace count is enough for compaction heuristics
        return len(text.split())
