"""Seeded mutations of real fixtures, one category per reader, and the oracle every case must pass.

Shared by the bounded harness of the test suite (``tests/test_fuzz.py``: a few cases per
category, seconds in all) and the longer one of the benchmarks (``bench/fuzz.py``).  A case is
deterministic: its category, its number and the seed give the same bytes every run.

The oracle is what a user meets: ``nianbao check FILE`` exits 0 or 1 with nothing on stderr, or
exits 2 with exactly one line ``错误：…`` that is not an internal error (no Python exception
class), within the time bound; anything else is a failure of its kind (crash, hang, memory).
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from helpers import CORPUS, SEEDS, ofd_from_pdf

Mutator = Callable[[bytes, random.Random], bytes]


# ---------------------------------------------------------------------------- fixtures per category


@cache
def originals() -> dict[str, tuple[str, bytes]]:
    """Per category: a file name (its suffix only for the reader's sake: nianbao sniffs) and bytes."""
    from nianbao.model import Report
    from nianbao.render import render_bytes

    truth = Report.from_contract(__import__("json").loads(SEEDS[0].with_suffix(".truth.json").read_text("utf-8")))
    pdf = (CORPUS / "011_huaian_2024.pdf").read_bytes()
    return {
        "text": ("report.txt", SEEDS[0].read_bytes()),
        "glued": ("report.txt", (CORPUS / "004_pingtan_2021.txt").read_bytes()),  # a crawler's flattened page
        "markdown": ("report.md", (CORPUS / "014_shanghai_bgt_2025.md").read_bytes()),
        "html": ("report.html", (CORPUS / "016_shuyang_fgj_2023.html").read_bytes()),
        "docx": ("report.docx", (CORPUS / "031_shuyang_fgj_2023_word.docx").read_bytes()),
        "xlsx": ("report.xlsx", render_bytes(truth, "xlsx")),
        "ofd": ("report.ofd", ofd_from_pdf(pdf)),
        "pdf": ("report.pdf", pdf),
        "image": ("report.png", _scan_page()),
        "doc": ("report.doc", (CORPUS / "032_shuyang_fgj_2023_word97.doc").read_bytes()),
    }


def _scan_page() -> bytes:
    """The first page of the corpus scan as a PNG at 100 dpi."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((CORPUS / "033_hongzequ_2023_scan.pdf").read_bytes())[0]
    out = io.BytesIO()
    page.render(scale=100 / 72, grayscale=True).to_pil().save(out, "PNG")
    return out.getvalue()


# ---------------------------------------------------------------------------- mutations


def flip_bytes(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.choice((1, 4, 20, 100))):
        out[rnd.randrange(len(out))] = rnd.randrange(256)
    return bytes(out)


def truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(1, len(data))]


def splice(data: bytes, rnd: random.Random) -> bytes:
    """A chunk of the file copied over another place (repeated structures, shifted offsets)."""
    size = rnd.randrange(1, max(2, len(data) // 10))
    source, target = rnd.randrange(len(data) - size + 1), rnd.randrange(len(data))
    return data[:target] + data[source : source + size] + data[target + size :]


def insert_noise(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    return data[:at] + rnd.randbytes(rnd.choice((1, 16, 4096))) + data[at:]


def long_digit_runs(data: bytes, rnd: random.Random) -> bytes:
    """Numbers replaced by long runs of digits (the glued-digit search, the int-string limit)."""
    length = rnd.choice((25, 40, 400, 5000))
    count = rnd.choice((1, 5, 50))
    matches = list(re.finditer(rb"\d+", data))
    for match in sorted(rnd.sample(matches, min(count, len(matches))), key=lambda m: m.start(), reverse=True):
        run = "".join(rnd.choice("0123456789") for _ in range(length)).encode()
        data = data[: match.start()] + run + data[match.end() :]
    return data


def flatten_lines(data: bytes, rnd: random.Random) -> bytes:
    """Line breaks dropped (a crawler's flattened page), some or all."""
    share = rnd.choice((0.3, 1.0))
    return b"".join(line if rnd.random() < share else line + b"\n" for line in data.split(b"\n"))


def odd_charset(data: bytes, rnd: random.Random) -> bytes:
    charset = rnd.choice((b"base64", b"rot13", b"idna", b"punycode", b"utf-7", b"zlib", b"undefined", b"x-unknown"))
    return re.sub(rb"charset=[\"']?[\w-]+", b"charset=" + charset, data, count=1) if b"charset" in data else data


def member(mutate: Mutator) -> Mutator:
    """The mutation applied to one member of a ZIP package (the XML inside, not the archive)."""

    def mutated(data: bytes, rnd: random.Random) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            names = source.namelist()
            chosen = rnd.choice(names)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for name in names:
                    content = source.read(name)
                    target.writestr(name, mutate(content, rnd) if name == chosen and content else content)
        return out.getvalue()

    mutated.__name__ = f"member_{mutate.__name__}"
    return mutated


def drop_member(data: bytes, rnd: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        dropped = rnd.choice(names)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                if name != dropped:
                    target.writestr(name, source.read(name))
    return out.getvalue()


def doctype(data: bytes, rnd: random.Random) -> bytes:
    """A DOCTYPE naming a local file in an XML member (it must never be opened)."""
    declaration = rnd.choice(
        (b'<!DOCTYPE x SYSTEM "/dev/zero">', b'<!DOCTYPE x [<!ENTITY % p SYSTEM "/dev/zero"> %p;]>')
    )

    def insert(content: bytes, _rnd: random.Random) -> bytes:
        cut = content.index(b"?>") + 2 if content.startswith(b"<?xml") else 0
        return content[:cut] + declaration + content[cut:]

    return member(insert)(data, rnd)


def zip_headers(data: bytes, rnd: random.Random) -> bytes:
    """Compression method or the encryption flag of every member changed (headers only)."""
    method, flag = rnd.choice(((9, 0), (93, 0), (99, 1), (None, 1), (12, 0), (14, 0)))
    return patched_zip(data, method=method, flag=flag)


def patched_zip(data: bytes, *, method: int | None = None, flag: int = 0) -> bytes:
    """Every local and central header with its compression ``method`` and extra ``flag`` bits."""
    out = bytearray(data)
    for magic, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = out.find(magic)
        while at >= 0:
            (flags,) = struct.unpack_from("<H", out, at + flags_at)
            struct.pack_into("<H", out, at + flags_at, flags | flag)
            if method is not None:
                struct.pack_into("<H", out, at + method_at, method)
            at = out.find(magic, at + 4)
    return bytes(out)


def reshape_image(data: bytes, rnd: random.Random) -> bytes:
    """A valid image of another shape or content: a thin strip, a tiny or huge copy, a quarter
    turn, blotches (OCR and the image checks, not only the decoder)."""
    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(data)) as source:
        image = source.convert("L")
    width, height = image.size
    operation = rnd.choice(("strip", "tiny", "turn", "blotches", "upscale"))
    if operation == "strip":
        image = (
            image.crop((0, 0, width, rnd.choice((1, 3, 40)))) if rnd.random() < 0.5 else image.crop((0, 0, 2, height))
        )
    elif operation == "tiny":
        image = image.resize((rnd.randrange(1, 40), rnd.randrange(1, 40)))
    elif operation == "turn":
        image = image.rotate(rnd.choice((90, 180, 270)), expand=True)
    elif operation == "blotches":
        draw = ImageDraw.Draw(image)
        for _ in range(rnd.randrange(1, 30)):
            x, y = rnd.randrange(width), rnd.randrange(height)
            draw.rectangle((x, y, x + rnd.randrange(200), y + rnd.randrange(200)), fill=rnd.randrange(256))
    else:
        image = image.resize((width * 3, height * 3))
    out = io.BytesIO()
    image.save(out, rnd.choice(("PNG", "JPEG", "TIFF", "BMP")))
    return out.getvalue()


BYTES: tuple[Mutator, ...] = (flip_bytes, truncate, splice, insert_noise)
TEXTUAL: tuple[Mutator, ...] = (*BYTES, long_digit_runs, flatten_lines)
_IN_MEMBERS: tuple[Mutator, ...] = (member(flip_bytes), member(truncate), member(splice), member(long_digit_runs))
# a damaged archive mostly fails its checksums at once: the members' own damage is drawn more often
PACKAGE: tuple[Mutator, ...] = (*BYTES, *_IN_MEMBERS, *_IN_MEMBERS, drop_member, doctype, zip_headers)
MUTATORS: dict[str, tuple[Mutator, ...]] = {
    "text": TEXTUAL,
    "glued": TEXTUAL,
    "markdown": TEXTUAL,
    "html": (*TEXTUAL, odd_charset),
    "docx": PACKAGE,
    "xlsx": PACKAGE,
    "ofd": PACKAGE,
    "pdf": BYTES,
    "image": (*BYTES, reshape_image, reshape_image, reshape_image, reshape_image),
    "doc": BYTES,
}
SLOW = frozenset({"image", "doc"})  # OCR or LibreOffice for every case: the benchmark's only


@dataclass(frozen=True)
class Case:
    category: str
    number: int
    mutation: str
    name: str
    data: bytes


def cases(category: str, count: int, seed: int = 0) -> Iterator[Case]:
    """``count`` mutated copies of the category's fixture, the same ones for the same seed."""
    name, original = originals()[category]
    for number in range(count):
        rnd = random.Random(f"{seed}:{category}:{number}")
        mutate = rnd.choice(MUTATORS[category])
        yield Case(category, number, mutate.__name__, name, mutate(original, rnd) or b" ")


# ---------------------------------------------------------------------------- the oracle

_INTERNAL = re.compile(r"内部错误|Traceback|[A-Z][A-Za-z]+(?:Error|Exception|Warning)\b")


def verdict(exit_code: int, stderr: str) -> str | None:
    """None when the run is what a user may meet, else why not (a crash)."""
    if exit_code in (0, 1):
        return None if stderr == "" else f"退出码 {exit_code} 但 stderr 有输出：{stderr[:200]!r}"
    if exit_code != 2:
        return f"退出码 {exit_code}"
    lines = stderr.splitlines()
    if len(lines) != 1 or not lines[0].startswith("错误："):
        return f"stderr 不是一行说明：{stderr[:300]!r}"
    if _INTERNAL.search(lines[0]):
        return f"内部错误：{lines[0][:300]}"
    return None


def path_for(case: Case, folder: Path) -> Path:
    path = folder / f"{case.category}-{case.number}-{case.name}"
    path.write_bytes(case.data)
    return path
