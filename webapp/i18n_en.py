"""English translations of the Swedish UI strings."""

EN: dict[str, str] = {}
