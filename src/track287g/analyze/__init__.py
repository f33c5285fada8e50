"""Analyze: statistics, growth, claim checks and the funding model, computed from the history."""
