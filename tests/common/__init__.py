"""Tests of inspect_distill.common."""
