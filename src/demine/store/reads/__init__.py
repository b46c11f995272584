"""Topic queries of the register: each function takes a RegisterReader."""
