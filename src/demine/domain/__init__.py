"""Pure model of mine action: vocabularies, entities and their rules. No I/O here."""
