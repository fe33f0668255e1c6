"""``briefing init DIR``: a new bilingual site to start from.

The starter site (``site/``, package data) holds one example briefing in
English and Russian, a fact of each kind, a timeline and a plain page, and
builds with no warning. ``briefing init`` copies it into a new or empty
folder, and refuses a folder that holds anything, changing nothing in it.
"""
