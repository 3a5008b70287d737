"""What the lessons show and check: exploring the data and its traps, where the keyword model fails, comparing runs,
the exercise checks' building blocks, and the widgets (Jupyter, with their terminal twins). Imports every wing below
the console: `common`, `data`, `models`, `training` and `deploy`."""
