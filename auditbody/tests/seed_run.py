"""The whole demo, as ``seed_demo`` runs it, without its output (for module fixtures that render
the seed audit's PDFs)."""

from importlib import import_module


def seed_quietly():
    from auditbody.management.commands.seed_demo import STEPS

    class Quiet:
        def write(self, *args, **kwargs):
            pass

    for app in STEPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(stdout=Quiet())
