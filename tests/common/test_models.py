"""The one rule for model roles and calls: roles, the cache policy, safe_generate and how errors are written."""

from __future__ import annotations

from tenacity import RetryError, Retrying, stop_after_attempt

from inspect_distill.common.models import error_text


def test_plain_error_is_type_and_message() -> None:
    assert error_text(ValueError("bad request")) == "ValueError: bad request"


def test_exhausted_retries_name_the_last_attempt() -> None:
    attempts = iter([TimeoutError("first"), ConnectionError("second")])

    def call() -> None:
        raise next(attempts)

    try:
        Retrying(stop=stop_after_attempt(2))(call)
    except RetryError as ex:
        assert error_text(ex) == "ConnectionError: second (retries exhausted)"
    else:  # pragma: no cover
        raise AssertionError("the retries should have run out")
