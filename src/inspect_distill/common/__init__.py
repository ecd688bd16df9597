"""Rules both evals share: model roles and calls (`models`), JSONL reading (`jsonl`), text helpers (`text`)."""
