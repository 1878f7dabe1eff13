"""Page layout shared by the PDF text-layer reader (:mod:`..pdf`) and the OCR reader (:mod:`..ocr`).

Both readers turn a page into a :class:`~.content.PageContent` (text fragments with boxes, ruling
lines) and hand the pages to :func:`~.assembly.assemble`; everything after that is here, once:

* ``content``    — Fragment, Edge, PageContent: what a reader gives the layout;
* ``geometry``   — the named, validated tolerances (:class:`~.geometry.Tolerances`);
* ``lattice``    — ruling lines merged and grouped into ruled tables (:class:`~.lattice.Lattice`);
* ``lines``      — fragments grouped into text lines and joined into text;
* ``page``       — one page laid out: ruled tables and lines in reading order;
* ``borderless`` — runs of lines cut into columns by wide gaps become tables;
* ``continued``  — a table going on at the top of the next page joins the one before it;
* ``assembly``   — pages to a Document: running headers dropped, paragraphs, tables.

The imports run one way: the readers import ``layout``; ``layout`` imports neither reader.
"""
