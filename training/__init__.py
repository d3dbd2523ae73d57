"""Fitting and evaluating stancemeter models."""
