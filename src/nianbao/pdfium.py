"""One lock for PDFium, which is not thread-safe (pypdfium2's documentation says so).

Every use of pypdfium2 in a process holds it: the web app reads PDFs (``/api/parse``), renders
their pages beside the tables and checks rendered PDFs in its request threads at once, and two
threads inside PDFium crash the whole process.  A command line run has one thread and never
waits on it.
"""

from __future__ import annotations

import threading

PDFIUM = threading.RLock()  # reentrant: reading a page may render it for OCR under the same lock
