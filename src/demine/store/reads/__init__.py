"""Topic queries over the register, each taking a :class:`~demine.store.reader.RegisterReader`."""
