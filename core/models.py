"""``core`` declares abstract models only (``core.lifecycle.LifecycleEvent``) and has no migrations.
This module exists so that Django treats ``core`` as an app with models: the lifecycle tests'
throwaway tables (``core/tests/lifecycle_models.py``) are then created in the test database."""
