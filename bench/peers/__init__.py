"""What the web benchmarks share: server processes, the load generator, the peers."""
