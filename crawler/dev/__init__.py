"""Development tooling, not on the runtime path: the offline mirror, `make demo`, benchmarks,
golden fixtures."""
