"""Small helpers the browser tests share."""


def open_menu(page, group, item):
    """Click ``item`` in the top bar's ``group`` drop-down (names are text or regex patterns)."""
    bar = page.locator("#mainnav")
    bar.get_by_test_id("nav-group").filter(has_text=group).click()
    bar.get_by_role("link", name=item).click()
