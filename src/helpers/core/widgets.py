"""The one way to build an interactive demo: static default figure first, then controls.

A demo needs two notebook cells::

    cases_demo = interactive_demo(plot_expected_cases, name="00_expected_cases",
                                  alt="...", caption="...")
    # next cell, tagged nbval-ignore-output:
    cases_demo.controls()

The first cell draws the plotting function with the default values of its declared
parameter ranges (:mod:`helpers.core.params`) and shows it with alt text and caption, so readers
on GitHub (where widgets do not run) see it.  The second cell builds core ipywidgets
controls whose bounds come from the same declarations.  Only core ipywidgets are used.
"""
from __future__ import annotations

import contextlib
import gc
import inspect
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from helpers.core import validate
from helpers.core.params import Choice, Flag, Range, param_ranges

__all__ = ["Demo", "interactive_demo", "make_control", "control_layout", "control_style",
           "young_garbage_only", "CONTROL_WIDTH", "DESCRIPTION_WIDTH", "CHECKBOX_COLUMN_PX"]


@contextlib.contextmanager
def young_garbage_only():
    """Pause Python's cyclic garbage collector for a redraw, then collect what it left.

    A redraw allocates about 10^5 objects, enough to set off the collector several times;
    every few redraws that is a full collection, which scans every object in the kernel
    (30-300 ms measured, against a 50 ms budget per callback). With the collector paused
    the redraw's objects stay in the youngest generation, and collecting that generation
    afterwards frees the closed figure in about 1 ms. The collector's previous on/off
    state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


#: Width of every slider and dropdown of the course (label, track and readout together),
#: shrinking with a narrow notebook column: all tracks have the same length.
CONTROL_WIDTH = "800px"
#: Width kept for every slider's and dropdown's label, so the tracks line up. Every label
#: must fit in it (``tests/test_widget_controls.py`` measures them).
DESCRIPTION_WIDTH = "400px"
#: Narrowest column of a checklist grid (checkbox and label); labels must fit in it.
CHECKBOX_COLUMN_PX = 300


def control_layout():
    """The one layout of every slider and dropdown: :data:`CONTROL_WIDTH`, at most the column."""
    import ipywidgets as w

    return w.Layout(width=CONTROL_WIDTH, max_width="100%")


def control_style() -> dict:
    """The one label style of every slider and dropdown: :data:`DESCRIPTION_WIDTH`."""
    return {"description_width": DESCRIPTION_WIDTH}


def make_control(name: str, spec):
    """Return a core ipywidgets control for one declared parameter.

    ``Range`` gives an ``IntSlider``, ``FloatSlider`` or (``log=True``) ``FloatLogSlider``
    (updating on release, so the kernel is not flooded), ``Choice`` a ``Dropdown`` showing the options' labels and
    ``Flag`` a ``Checkbox``. Sliders and dropdowns share one layout
    (:func:`control_layout`, :func:`control_style`), so every track has the same length.
    """
    import ipywidgets as w

    if not isinstance(spec, (Range, Choice, Flag)):
        raise ValueError(f"spec for {name} must be a Range, Choice or Flag; "
                         f"got {type(spec).__name__}")
    label = spec.label or name.replace("_", " ")
    if isinstance(spec, Range) and spec.log:
        return w.FloatLogSlider(value=spec.default, base=10, min=math.log10(spec.low),
                                max=math.log10(spec.high), step=spec.slider_step,
                                description=label, continuous_update=False,
                                readout_format=".3g", style=control_style(),
                                layout=control_layout())
    if isinstance(spec, Range):
        cls = w.IntSlider if spec.integer else w.FloatSlider
        return cls(value=spec.default, min=spec.low, max=spec.high, step=spec.slider_step,
                   description=label, continuous_update=False, style=control_style(),
                   layout=control_layout())
    if isinstance(spec, Choice):
        return w.Dropdown(options=spec.labelled_options, value=spec.default,
                          description=label, style=control_style(), layout=control_layout())
    return w.Checkbox(value=spec.default, description=label,
                      style={"description_width": "initial"})


@dataclass
class Demo:
    """A plotting function with fixed arguments, its static figure shown, controls on demand.

    The live view keeps one figure (:attr:`live_figure`) for all redraws: each redraw runs
    the plotting function inside :func:`helpers.core.style.reuse_figure`, so the figure,
    its axes and tick objects are reused and only what the function draws is drawn anew.
    The live figure is not registered with pyplot, so the notebook's inline backend never
    shows or closes it behind the widget's back.

    Parameters
    ----------
    plot_fn : callable
        Plotting function decorated with :func:`helpers.core.params.ranged`.
    name, alt : str
        Figure name and alt text (the live view's alt text adds "(interactive view)").
    fixed : dict, optional
        Arguments held fixed: no control is built for them.
    initial : dict, optional
        Values the controls start at instead of their declared defaults (e.g. the boxes
        ticked for a case); the static figure is drawn with them too.
    arrange : callable, optional
        ``arrange(controls)`` returns the widget that lays out the ``{name: control}``
        dict (e.g. checkboxes grouped under headings); default: one column.
    description : str, optional
        Plain-text stand-in for the controls where widgets cannot run; default
        :meth:`summary`.
    """

    plot_fn: Callable
    name: str
    alt: str
    fixed: dict = field(default_factory=dict)
    initial: dict = field(default_factory=dict)
    arrange: Callable | None = field(default=None, repr=False)
    description: str = ""
    live_figure: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.initial) - set(self.specs)
        if unknown:
            raise ValueError(f"initial has unknown parameter(s) {sorted(unknown)}; "
                             f"allowed: {sorted(self.specs)}")

    @property
    def specs(self) -> dict:
        """Declared ranges of the parameters that get a control (fixed ones excluded)."""
        return {k: v for k, v in param_ranges(self.plot_fn).items() if k not in self.fixed}

    def _arguments(self, values: dict) -> dict:
        args = {k: self.initial.get(k, spec.default) for k, spec in self.specs.items()}
        unknown = set(values) - set(args)
        if unknown:
            raise ValueError(f"values has unknown parameter(s) {sorted(unknown)}; "
                             f"allowed: {sorted(args)}")
        args.update(values)
        return {**self.fixed, **args}

    def figure(self, **values: Any):
        """Draw a new figure for the given control values (defaults for the rest)."""
        return self.plot_fn(**self._arguments(values))

    def redraw(self, **values: Any):
        """Draw the given control values into the live figure and return it.

        The first redraw makes the live figure; later ones reuse it when the plotting
        function builds its axes with :func:`helpers.core.style.fixed_margin_axes` and
        the same grid, and otherwise replace it. Invalid values raise before anything
        is drawn.
        """
        import matplotlib.pyplot as plt

        from helpers.core.style import reuse_figure

        args = self._arguments(values)
        old = self.live_figure
        with reuse_figure(old):
            fig = self.plot_fn(**args)
        if fig is not old:
            plt.close(fig)  # detach from pyplot: the demo owns it
            self.live_figure = fig
        return fig

    def close(self) -> None:
        """Forget the live figure (the next redraw makes a new one)."""
        self.live_figure = None

    def live_bundle(self, *, fmt: str = "svg", **values: Any) -> tuple[dict, dict]:
        """The live view for the given control values: ``(data, metadata)``.

        Redraws the live figure (:meth:`redraw`) and serialises it. Live views are SVG
        with text drawn by the browser, not PNG: rasterising and encoding a PNG costs
        about 25 ms more per redraw, which would put the callback over its 50 ms budget
        (``benchmarks/bench_widgets.py``, which passes ``fmt="png"`` to compare). The
        static figure above the controls stays a PNG. The redraw runs under
        :func:`young_garbage_only`.
        """
        from helpers.core.style import figure_bundle

        with young_garbage_only():
            fig = self.redraw(**values)
            return figure_bundle(fig, alt=f"{self.alt} (interactive view)", fmt=fmt)

    def render(self, **values: Any) -> None:
        """Widget callback: display the live view for the current control values."""
        from IPython.display import display

        data, metadata = self.live_bundle(**values)
        display(data, raw=True, metadata=metadata)

    def summary(self) -> str:
        """Plain-text description of the controls, shown where widgets cannot run."""
        if self.description:
            return self.description
        parts = [f"{spec.label or k}: {_reader_description(spec)}"
                 for k, spec in self.specs.items()]
        return ("Interactive controls (" + "; ".join(parts) + "). Run the notebook in "
                "JupyterLab to use them; the figure above shows their default state.")

    def controls(self) -> None:
        """Display the controls and a live figure that redraws when a control changes."""
        import ipywidgets as w
        from IPython.display import display

        controls = {k: make_control(k, spec) for k, spec in self.specs.items()}
        for k, value in self.initial.items():
            controls[k].value = value
        output = w.interactive_output(self.render, controls)
        # a flex item may shrink below its content: the live figure scales with the column
        output.layout = w.Layout(width="100%", min_width="0")
        panel = [self.arrange(controls)] if self.arrange else list(controls.values())
        box = w.VBox([*panel, output])
        bundle = box._repr_mimebundle_()
        bundle["text/plain"] = self.summary()
        display(bundle, raw=True)


def _reader_description(spec) -> str:
    """``spec.describe()``, but a choice lists what its dropdown shows, not its ids."""
    if isinstance(spec, Choice) and spec.option_labels:
        return "one of " + ", ".join(spec.option_labels)
    return spec.describe()


def interactive_demo(plot_fn: Callable, *, name: str, alt: str, caption: str,
                     **fixed: Any) -> Demo:
    """Show ``plot_fn`` at its default parameters and return a :class:`Demo` for controls.

    Parameters
    ----------
    plot_fn : callable
        A plotting function decorated with :func:`helpers.core.params.ranged` that returns a
        matplotlib Figure.
    name, alt, caption : str
        Passed to :func:`helpers.core.style.show` for the static figure.
    **fixed
        Arguments held fixed (no control is built for them); validated by ``plot_fn``.

    Returns
    -------
    Demo
        Call ``.controls()`` on it in the next cell (tag that cell ``nbval-ignore-output``).
    """
    from helpers.core.style import show

    if not callable(plot_fn) or getattr(plot_fn, "param_ranges", None) is None:
        raise validate.ParameterTypeError("plot_fn must be decorated with "
                                          f"helpers.core.params.ranged; got {plot_fn!r}")
    for label, value in (("name", name), ("alt", alt), ("caption", caption)):
        validate.text(label, value)
    params = inspect.signature(plot_fn).parameters
    unknown = sorted(set(fixed) - set(params))
    if unknown and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        raise ValueError(f"fixed arguments {unknown} are not parameters of plot_fn")
    demo = Demo(plot_fn=plot_fn, name=name, alt=alt, fixed=dict(fixed))
    show(demo.figure(), name=name, alt=alt, caption=caption)
    return demo
