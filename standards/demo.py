from .services import catalogue_load_shipped


def seed(stdout):
    """The shipped catalogue (normally already loaded by migrate): applies what is missing or changed."""
    results = catalogue_load_shipped(by="seed_demo")
    if not results:
        stdout.write("  standards catalogue already up to date")
    for result in results:
        stdout.write(f"  {result.summary()}")
