"""Pages of the front of the process, one module per area."""
