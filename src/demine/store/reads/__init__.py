"""Topic queries: each reads the register through a RegisterReader."""
