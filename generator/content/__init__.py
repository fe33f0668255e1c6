"""Load and model: content files read with their positions, then checked into immutable records.

``load`` reads the content folder (``yamlsafe`` keeps YAML positions), ``fields``
reads typed fields with every problem collected (``errors``), ``resolve`` turns
what was read into the ``model``'s records with every link resolved.
"""
