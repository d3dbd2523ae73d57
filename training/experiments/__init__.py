"""Experiments that ship nothing: they measure, and their figures go in the README."""
