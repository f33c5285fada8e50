"""Spanish for every English string the site shows (English text -> Spanish text)."""

ES: dict[str, str] = {}
