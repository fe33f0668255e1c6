"""briefing: a static site generator for bilingual newsroom briefings.

The pipeline has four stages, each in its own module group:
load (files -> raw documents with positions), model (validated immutable
records), render (Jinja2 + Babel, pages in memory) and write (the only code
that touches the output folder). ``generator.build.build`` runs them.
"""

__version__ = "0.1.0"
