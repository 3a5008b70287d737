"""Explorable widgets, one module each: `build_*` returns an ipywidgets object for Jupyter, and the
logic behind it is plain functions (tested without a browser) with a rich equivalent for the terminal.

ipywidgets is imported inside the `build_*` functions only, so the console starts fast.
"""
