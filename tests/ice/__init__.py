"""Tests of inspect_distill.ice."""
