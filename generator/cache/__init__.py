"""The build cache beside the pipeline: what the last build read, used and wrote.

It decides which files to read again and which pages to render again; it
never decides what a page says (every cached build is byte-identical to a
clean one).
"""
