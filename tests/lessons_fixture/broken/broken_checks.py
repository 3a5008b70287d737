"""Check for the test-only broken lesson 91."""


def check_y(ns):
    if ns.get("y") != 2:
        return f"`y` is {ns.get('y')!r}; it should be 2."
    return None
