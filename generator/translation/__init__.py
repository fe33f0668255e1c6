"""The translation workflow: outdated translations, figures that differ, status, UI catalogues."""
