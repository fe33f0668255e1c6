"""Open data: the site's facts, briefings and timelines as JSON and CSV files under ``/data/``, a page per
language that lists them with schema.org ``Dataset`` metadata, and each timeline in Knight Lab's
TimelineJS 3 format (``/<lang>/timelines/<id>/timeline.json``).

Every file is a page kind (``kinds.py``): its render function reads the tracked site view, so a file
is made again exactly when the facts it holds change, and the same facts give the same bytes.
"""
