"""Tests of inspect_distill.rse."""
