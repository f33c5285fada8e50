"""Resolve: which printed spellings are one agency, and which listings are one agreement.

``names`` turns a spelling into a matching key by stated rules; ``agencies`` clusters spellings into
agencies (exact keys, guarded typo merges, the committed alias table) and records every merge with its rule
and evidence.
"""
