"""Topic queries over the register, each reading through a RegisterReader."""
