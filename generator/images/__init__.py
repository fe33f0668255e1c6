"""Pictures: lead images, figures, thumbnails and social cards, every one re-encoded without its metadata.

``records`` holds the model's records (a picture file as its header
describes it, an image record of ``content/facts/images.yaml``) and reads
them; ``files`` reads the pictures' headers in the load stage; ``markdown``
finds the pictures a Markdown text places; ``variants`` says which files a
picture becomes (widths, formats, names); ``encode`` makes them with Pillow
(orientation applied, colours to sRGB, no EXIF, GPS, IPTC or XMP);
``cards`` draws the social card of a page without a lead image; ``html``
gives templates what a ``<picture>`` needs; ``kind`` is the page kind that
plans every picture file of the site.
"""
