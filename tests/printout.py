"""Reading a printout: xlsx files converted to PDF by LibreOffice, and what a reader sees on it.

LibreOffice draws text that runs past its cell (into a filled neighbour, past a merged area)
clipped to the cell, yet writes the cut characters into the PDF, so plain text extraction reads
a cut-off text as whole. Here a character counts as printed only when it lies inside the
clipping region in force where it is drawn (``W``/``W*`` of the PDF content stream, saved and
restored with ``q``/``Q``) and on the page. pdfminer reads the characters but ignores clipping;
``ClipInterpreter`` follows it and hands each character its clipping box. Wrapped lines that
do not fit the row are left out of the PDF altogether: ``Printout.missing`` finds those.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.utils import Rect, apply_matrix_pt

#: How far (points) a character's box may stick out of its clipping box and still count whole:
#: the em box of a glyph is a little taller than its ink.
TOLERANCE = 1.0
CONVERT_TIMEOUT = 240


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: Sequence[Path], outdir: Path, profile: Path) -> dict[Path, Path]:
    """Convert all ``files`` in one LibreOffice run; the PDF of each, by source path."""
    command = [
        soffice() or "soffice",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(f) for f in files),
    ]
    result = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
    pdfs = {f: outdir / (f.stem + ".pdf") for f in files}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.exists()]
    assert result.returncode == 0 and not missing, (result.stdout, result.stderr, missing)
    return pdfs


class _ClipState(PDFGraphicState):
    """The graphics state with the clipping box (device space); saved and restored with it."""

    def __init__(self) -> None:
        super().__init__()
        self.clip: Rect | None = None

    def copy(self) -> _ClipState:
        obj = _ClipState()
        obj.__dict__.update(self.__dict__)
        return obj


class ClipInterpreter(PDFPageInterpreter):
    """A pdfminer interpreter that tracks the clipping box (the bounding box of each clipping
    path, intersected with the one before, which is exact for the rectangles LibreOffice
    clips cells with)."""

    _inherited_clip: Rect | None = None

    def dup(self) -> ClipInterpreter:
        # A form XObject is drawn by a fresh interpreter: it starts inside the caller's clip.
        twin = ClipInterpreter(self.rsrcmgr, self.device)
        twin._inherited_clip = getattr(self.graphicstate, "clip", None)
        return twin

    def init_state(self, ctm) -> None:
        super().init_state(ctm)
        self.graphicstate = _ClipState()
        self.graphicstate.clip = self._inherited_clip
        self._pending_clip = False

    def _take_clip(self) -> None:
        if not self._pending_clip:
            return
        self._pending_clip = False
        points = [apply_matrix_pt(self.ctm, seg[-2:]) for seg in self.curpath if len(seg) >= 3]
        if not points:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        state = self.graphicstate
        if isinstance(state, _ClipState) and state.clip is not None:
            old = state.clip
            box = (
                max(box[0], old[0]),
                max(box[1], old[1]),
                min(box[2], old[2]),
                min(box[3], old[3]),
            )
        if isinstance(state, _ClipState):
            state.clip = box

    def do_W(self) -> None:
        self._pending_clip = True

    def do_W_a(self) -> None:
        self._pending_clip = True

    def do_n(self) -> None:
        self._take_clip()
        super().do_n()

    def do_f(self) -> None:
        self._take_clip()
        super().do_f()

    def do_S(self) -> None:
        self._take_clip()
        super().do_S()

    def do_B(self) -> None:
        self._take_clip()
        super().do_B()

    def do_f_a(self) -> None:
        self._take_clip()
        super().do_f_a()

    def do_B_a(self) -> None:
        self._take_clip()
        super().do_B_a()


@dataclass(frozen=True)
class Char:
    page: int
    text: str
    box: Rect
    visible: bool


def _chars(item, page: int, clip_of) -> Iterator[Char]:
    if isinstance(item, LTChar):
        yield Char(page, item.get_text(), item.bbox, clip_of(item))
    elif isinstance(item, LTContainer):
        for child in item:
            yield from _chars(child, page, clip_of)


def _inside(box: Rect, clip: Rect) -> bool:
    return (
        box[0] >= clip[0] - TOLERANCE
        and box[1] >= clip[1] - TOLERANCE
        and box[2] <= clip[2] + TOLERANCE
        and box[3] <= clip[3] + TOLERANCE
    )


def read_chars(pdf: Path) -> list[Char]:
    """Every character drawn in ``pdf``, in drawing order, with whether it is seen whole."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = ClipInterpreter(manager, device)
    found: list[Char] = []
    with pdf.open("rb") as handle:
        for number, page in enumerate(PDFPage.get_pages(handle), 1):
            interpreter.process_page(page)
            layout: LTPage = device.get_result()
            page_box = layout.bbox

            def clip_of(char: LTChar, page_box=page_box) -> bool:
                clip = getattr(char.graphicstate, "clip", None)
                inside_page = _inside(char.bbox, page_box)
                return inside_page and (clip is None or _inside(char.bbox, clip))

            found.extend(_chars(layout, number, clip_of))
    return found


def _squeeze(text: str) -> str:
    return "".join(text.split())


@dataclass
class Printout:
    """What a PDF shows: the visible text, the clipped characters and the text lines."""

    name: str
    chars: list[Char]

    @property
    def visible_text(self) -> str:
        return _squeeze("".join(c.text for c in self.chars if c.visible))

    @property
    def all_text(self) -> str:
        return _squeeze("".join(c.text for c in self.chars))

    def clipped(self) -> list[str]:
        """The runs of characters drawn but cut by their clipping region, with their page."""
        runs = []
        for (page, visible), group in itertools.groupby(
            self.chars, key=lambda c: (c.page, c.visible)
        ):
            if not visible:
                text = "".join(c.text for c in group).strip()
                if text:
                    runs.append(f"p.{page}: {text}")
        return runs

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The texts not seen whole (each may wrap; whitespace does not count)."""
        seen = self.visible_text
        return [
            t for t in dict.fromkeys(texts) if _squeeze(str(t)) and _squeeze(str(t)) not in seen
        ]

    def lines(self) -> list[tuple[int, str, Rect]]:
        """Visible text lines: consecutive characters on one baseline, left to right."""
        out: list[tuple[int, str, Rect]] = []
        current: list[Char] = []

        def close() -> None:
            if current:
                box = (
                    min(c.box[0] for c in current),
                    min(c.box[1] for c in current),
                    max(c.box[2] for c in current),
                    max(c.box[3] for c in current),
                )
                out.append((current[0].page, "".join(c.text for c in current), box))
                current.clear()

        for char in self.chars:
            if not char.visible or not char.text.strip():
                continue
            if current:
                last = current[-1]
                same_line = (
                    char.page == last.page
                    and abs(char.box[1] - last.box[1]) < 0.5
                    and -0.5 <= char.box[0] - last.box[2] < 3 * (last.box[3] - last.box[1])
                )
                if not same_line:
                    close()
            current.append(char)
        close()
        return out

    def overlaps(self) -> list[str]:
        """Pairs of text lines whose boxes overlap (by more than half a point each way)."""
        found = []
        by_page: dict[int, list[tuple[str, Rect]]] = {}
        for page, text, box in self.lines():
            by_page.setdefault(page, []).append((text, box))
        for page, lines in by_page.items():
            for (text_a, a), (text_b, b) in itertools.combinations(lines, 2):
                width = min(a[2], b[2]) - max(a[0], b[0])
                height = min(a[3], b[3]) - max(a[1], b[1])
                if width > 0.5 and height > 0.5:
                    found.append(f"p.{page}: {text_a!r} / {text_b!r}")
        return found


def read_printout(pdf: Path) -> Printout:
    return Printout(pdf.stem, read_chars(pdf))
