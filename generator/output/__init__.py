"""Write: the only code that touches the output folder (staging, commit, undo)."""
