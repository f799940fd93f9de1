"""The generator behind ``manage.py make_data`` (the command keeps the sizes and the order of
work): ``texts`` the Chinese texts it draws from, ``rows`` bulk writing and dating, ``records`` the
reports, NC response rounds and lifecycle events of the generated audits and decisions."""
