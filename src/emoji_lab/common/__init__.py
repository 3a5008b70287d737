"""What every wing uses: errors, where files live and how they are written whole, number formatting, argument
checks, the quiet TensorFlow import, and the machine check. Imports nothing else of emoji_lab."""
