"""A story drawn once per document and shown on every page that repeats it (a PDF form)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame


class DrawnOnce(Flowable):
    """The whole of a frame's story, drawn into the form `name` on its first page and shown
    from it on every later one.

    For pages whose content below the header is the same (a stack of blank sheets differs only
    by its code and QR): laying out and drawing 2,000 identical stories was most of the time
    of a binder's reprint, and repeating them most of its size. The story must fit the frame
    (measured beforehand): it is never split, and one that does not fit is an error.
    """

    def __init__(self, story: Sequence[Flowable], name: str) -> None:
        super().__init__()
        self._story = story
        self._name = name

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height
        return avail_width, avail_height

    def drawOn(self, canv: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # A form's space is the page's: the frame is drawn where it stands on the page, and
        # every page that shows the form has its frame there too (the name says where).
        forms: set[str] = canv.__dict__.setdefault("_rr_forms", set())
        name = f"{self._name}_{x:.2f}_{y:.2f}_{self.width:.2f}_{self.height:.2f}"
        if name not in forms:
            canv.saveState()
            canv.beginForm(name)
            frame = Frame(
                x,
                y,
                self.width,
                self.height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            for flowable in self._story:
                if not frame.add(flowable, canv):
                    raise ValueError(f"the story of {self._name} does not fit its frame")
            canv.endForm()
            canv.restoreState()
            forms.add(name)
        canv.doForm(name)
