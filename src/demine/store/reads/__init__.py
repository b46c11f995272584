"""Topic queries of the register, each reading through a :class:`RegisterReader`."""
