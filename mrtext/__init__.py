"""mrtext: a toolkit for Swedish municipal documents.

Stages, each usable alone: ingest → repair → extract → link → export. Five verbs take a
researcher from texts to tables and a graph; they are imported lazily, so ``import mrtext``
is cheap (no spaCy, pandas or networkx until a verb is used):

=============================  ==================================================================
``repair_text(text)``          repair OCR damage: ``.text``, ``.changes``, ``.to_original(start, end)``
``load_pipeline()``            the packaged spaCy pipeline (load once, pass it to ``extract``)
``extract(docs, nlp=None)``    one :class:`~mrtext.model.DocumentRecord` per document or string
``build_graph(records)``       the document graph, a ``networkx.MultiDiGraph``
``to_frame(records | graph)``  pandas tables: entities, documents, graph edges or nodes
=============================  ==================================================================

>>> import mrtext
>>> sorted(v for v in dir(mrtext) if not v.startswith("_"))
['build_graph', 'extract', 'load_pipeline', 'repair_text', 'to_frame']

Repair a line of a scan OCR'd with the wrong language; every change is listed with its offsets:

>>> fixed = mrtext.repair_text("Programmets mal dr att Stockholm ska vara en Oppen stad for alla.")
>>> fixed.text
'Programmets mål är att Stockholm ska vara en öppen stad för alla.'
>>> [(c.start, c.before, c.after) for c in fixed.changes][:2]
[(12, 'mal', 'mål'), (16, 'dr', 'är')]

Extract from documents or plain strings (offsets point into the input), then link and tabulate:

>>> text = ("Svar på remiss från kommunstyrelsen, Dnr KS 2023/1159. "
...         "Socialnämnden beslutade den 18 september 2024 att godkänna svaret.")
>>> records = mrtext.extract([text], nlp=mrtext.load_pipeline())
>>> [(e.label, e.value) for e in records[0].entities]
[('DIARY_NUMBER', 'KS 2023/1159'), ('DATE', '2024-09-18')]
>>> graph = mrtext.build_graph(records, texts={records[0].id: text})
>>> [(u, v, k) for u, v, k in graph.edges(keys=True)]
[('doc:doc0', 'dnr:KS 2023/1159', 'responds_to')]
>>> mrtext.to_frame(records)[["label", "text", "start", "end"]].values.tolist()
[['DIARY_NUMBER', 'Dnr KS 2023/1159', 37, 53], ['DATE', '18 september 2024', 83, 100]]
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_VERBS = {
    "repair_text": "mrtext.repair",
    "load_pipeline": "mrtext.extract",
    "extract": "mrtext.extract",
    "build_graph": "mrtext.graph",
    "to_frame": "mrtext.frames",
}

__all__ = ["__version__", *_VERBS]


class _Verb:
    """The verb ``mrtext.extract``, which shares its name with the subpackage ``mrtext.extract``.

    Python sets a package's attribute to a subpackage when the subpackage is imported, which
    would turn ``mrtext.extract(...)`` into "module object is not callable" as soon as anything
    imports ``mrtext.extract.*``. This stand-in calls the function, and forwards any other
    attribute to the subpackage, so ``mrtext.extract.load_pipeline`` keeps working too.
    """

    __slots__ = ("_module", "_name")

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name

    @property
    def __wrapped__(self) -> Any:  # inspect.signature and help() follow this to the function
        return getattr(import_module(self._module), self._name)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        doc: str | None = self.__wrapped__.__doc__
        return doc

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__wrapped__(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(import_module(self._module), attr)

    def __repr__(self) -> str:
        return f"<mrtext verb {self._name} from {self._module}>"


class _Package(types.ModuleType):
    """``mrtext`` itself: importing a subpackage must not replace the verb of the same name."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(globals().get(name), _Verb) and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


extract = _Verb("mrtext.extract", "extract")
sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _VERBS.get(name)
    if module is None:
        raise AttributeError(f"module 'mrtext' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
