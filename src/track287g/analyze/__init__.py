"""Analyses built on the history: statistics, growth, claims and the funding model."""
