"""In-memory stand-ins for the pipeline's dependencies, for fast unit tests (no AWS, no network)."""
