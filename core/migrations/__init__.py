"""``core`` has no tables of its own (its models are abstract). This empty migrations package keeps
Django from creating tables for models only tests register under ``core`` before the migrated apps
exist; the lifecycle tests create theirs themselves (``core/tests/conftest.py``)."""
