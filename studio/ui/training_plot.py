"""Live training curves: the loss on one plot, the metrics on another below it, one epoch axis.

As Keras' history plot and MATLAB's training-progress window: the loss and
each metric get their own y axis (a regression loss of 640 never squeezes an
accuracy between 0 and 1), validation points sit at the end of their epoch,
and the legends sit above the plots, not over the data.

x is in epochs: epoch ``e`` (counted from 0) ends at ``e + 1``. Keras reports
the training loss of an epoch as the mean over its batches, so "shift the
training curve half an epoch left" draws it at ``e + 0.5``, the middle of the
batches it averages; validation is measured once, at the end. The grey line
is the running mean Keras reports after each batch, drawn where the batch
ends. A regression run whose loss is the mean squared error and that has no
metric gets RMSE (the square root of the loss) on the metrics plot, in the
target's own units.

Curves are created once and updated with setData when ``redraw`` is called
(the panel calls it on a timer); nothing repaints per batch.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
BATCH_COLOR = "#b0b0b0"
PLOTS_MIN_HEIGHT = 300  # both plots with their legends: about 100 px of curves each
PLOTS_MIN_WIDTH = 280
LEGEND_ROW = 22
LEGEND_COLUMNS = 4  # entries side by side where the width allows
LEGEND_MARGIN, LEGEND_GAP = 16, 10  # px: the legend's own margins, and between a name and the next sample
DERIVED = "rmse"  # sqrt of a mean-squared-error loss, drawn when no metric is chosen


def is_loss(key: str) -> bool:
    return key == "loss" or key.endswith("_loss")


def base(key: str) -> str:
    return key[4:] if key.startswith("val_") else key


class _LossAxis(pg.AxisItem):
    """On a log scale, plain numbers at 1, 2 and 5 times a power of ten (not "3·10¹" at every tick)."""

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            mantissa = 10 ** (v - math.floor(v + 1e-9))
            out.append(f"{10 ** v:.4g}" if min(abs(mantissa - m) for m in (1, 2, 5)) < 0.02 else "")
        return out


class TrainingPlot(QWidget):
    """Two stacked plots with a linked epoch axis, their legends and the half-epoch toggle."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.shift = QCheckBox(self.tr("Shift the training curve half an epoch left"))
        self.shift.setToolTip(self.tr("The training loss of an epoch is the mean over its batches, so it belongs "
                                      "in the middle of the epoch; validation is measured at its end."))
        self.log_loss = QCheckBox(self.tr("Log scale for the loss"))
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.view.ci.setSpacing(0)
        self.loss_legend = pg.LegendItem(colCount=LEGEND_COLUMNS, frame=False, labelTextColor="#333333")
        self.loss_plot = pg.PlotItem(axisItems={"left": _LossAxis("left")})
        self.metric_legend = pg.LegendItem(colCount=LEGEND_COLUMNS, frame=False, labelTextColor="#333333")
        self.metric_plot = pg.PlotItem()
        self.metric_plot.setXLink(self.loss_plot)
        for legend in (self.loss_legend, self.metric_legend):
            legend.layout.setContentsMargins(4, 0, 4, 0)  # a legend row is a line of text, the rest is the curves'
            legend.setMaximumHeight(LEGEND_ROW)
        for plot in (self.loss_plot, self.metric_plot):
            plot.showGrid(x=True, y=True, alpha=0.3)
            plot.getAxis("left").setWidth(56)  # both y axes line up, so the epochs do
            plot.getAxis("left").enableAutoSIPrefix(False)  # "metrics (x0.001)" reads as a different metric
            plot.setMenuEnabled(False)
        self.loss_plot.setLabel("left", self.tr("loss"))
        self.metric_plot.setLabel("left", self.tr("metrics"))
        self.metric_plot.setLabel("bottom", self.tr("epoch"))
        self.view.addItem(self.loss_legend, row=0, col=0)
        self.view.addItem(self.loss_plot, row=1, col=0)
        self._metrics_shown = False
        options = QHBoxLayout()
        options.setContentsMargins(0, 0, 0, 0)
        options.addWidget(self.shift)
        options.addWidget(self.log_loss)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(options)
        layout.addWidget(self.view, stretch=1)
        # each plot stays readable (about 100 px of data each, legends apart) however small the window
        self.view.setMinimumHeight(PLOTS_MIN_HEIGHT)
        self.view.setMinimumWidth(PLOTS_MIN_WIDTH)
        self.batch_curve = self.loss_plot.plot([], [], pen=pg.mkPen(BATCH_COLOR, width=1), connect="finite")
        self.loss_legend.addItem(self.batch_curve, self.tr("loss (batches)"))
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.history: dict[str, list[float]] = {}
        self.batch_x: list[float] = []
        self.batch_y: list[float] = []
        self.loss_name = ""
        self.dirty = False
        self.live = False
        self._ranges: dict[int, tuple[float, float] | None] = {}
        self.shift.toggled.connect(lambda _: self._changed())
        self.log_loss.toggled.connect(self._log_toggled)

    # -- data ------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every curve (a fresh run, or another project)."""
        for key, curve in self.curves.items():
            plot, legend = self._home(key)
            plot.removeItem(curve)
            legend.removeItem(curve)
        self._fit_legends()
        self.curves, self.history = {}, {}
        self.batch_x, self.batch_y = [], []
        self.batch_curve.setData([], [])
        self._show_metrics(False)
        self.live = False
        self.loss_plot.setTitle(None)
        self.loss_name = ""
        for plot in (self.loss_plot, self.metric_plot):
            plot.disableAutoRange()
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)  # empty: nothing of the last run's scale
        self.dirty = False

    def start(self, initial_epoch: int, epochs: int, loss_name: str = "") -> None:
        """A run (or a continuation) begins: fixed ranges while it trains.

        An axis that re-ranges on every update makes each repaint 2-3x dearer
        (benchmarks/ui_latency.py); the y ranges only grow, in steps.
        """
        self.loss_name = loss_name
        self.loss_plot.setTitle(self.tr("loss function: {0}").format(loss_name) if loss_name else None,
                                size="9pt", color="#555555")
        self.live = True
        for plot in (self.loss_plot, self.metric_plot):
            plot.disableAutoRange()
        self.loss_plot.setXRange(0, max(epochs, 1), padding=0.02)
        self._ranges = {}
        # a continuation from an earlier epoch than was drawn (the last epoch kept by a training process that
        # died): what came after it is not the model's history any more
        for values in self.history.values():
            del values[max(initial_epoch, 0):]
        cut = next((i for i, x in enumerate(self.batch_x) if x == x and x > initial_epoch + 1e-9), None)
        if cut is not None:
            del self.batch_x[cut:], self.batch_y[cut:]
            self.dirty = True
        if self.batch_x:  # a continuation: the running mean does not join across the pause
            self.batch_x.append(math.nan)
            self.batch_y.append(math.nan)

    def add_batch(self, x: float, loss: float) -> None:
        if np.isfinite(loss):
            if self.batch_x and np.isfinite(self.batch_x[-1]) and x < self.batch_x[-1]:
                self.batch_x.append(math.nan)  # defensive: never draw backwards
                self.batch_y.append(math.nan)
            if self.batch_x and np.isfinite(self.batch_x[-1]) and math.floor(x - 1e-9) != math.floor(
                    self.batch_x[-1] - 1e-9):
                # Keras' running mean restarts with each epoch: no line across the boundary
                self.batch_x.append(math.nan)
                self.batch_y.append(math.nan)
            self.batch_x.append(x)
            self.batch_y.append(float(loss))
            self.dirty = True

    def add_epoch(self, logs: dict) -> None:
        for key, value in logs.items():
            if key != "learning_rate":
                self.history.setdefault(key, []).append(float(value))
        self._ranges = {}  # once an epoch the y ranges fit the values again (so accuracy near 1 is not on the border)
        self.dirty = True

    def finish(self) -> None:
        """The run has ended: draw everything and let the finished run fill the plots."""
        self.live = False
        self.dirty = True
        self.redraw()
        self.loss_plot.enableAutoRange()
        self.metric_plot.enableAutoRange()

    # -- drawing ---------------------------------------------------------------------------

    def series(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """{key: (x, y)} of every epoch curve as drawn, derived RMSE included."""
        shift = 0.5 if self.shift.isChecked() else 0.0
        out = {}
        for key, values in self._with_derived().items():
            x = np.arange(1, len(values) + 1, dtype=float)
            if not key.startswith("val_"):
                x -= shift
            out[key] = (x, np.asarray(values, dtype=float))
        return out

    def _with_derived(self) -> dict[str, list[float]]:
        history = dict(self.history)
        metrics = [k for k in history if not is_loss(k)]
        if not metrics and self.loss_name == "mean_squared_error":
            for key in ("loss", "val_loss"):
                if key in history:
                    history[key.replace("loss", DERIVED)] = [math.sqrt(v) if v >= 0 else math.nan
                                                              for v in history[key]]
        return history

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_legends()

    def _fit_legends(self) -> None:
        """As many legend columns as the plots' width takes (at most LEGEND_COLUMNS), and the rows that
        needs: long names ("aux_output_root_mean_squared_error") never widen the plots past the panel,
        where the curves of the later epochs would be cut off on the right."""
        width = max(self.view.width(), PLOTS_MIN_WIDTH) - LEGEND_MARGIN
        for legend in (self.loss_legend, self.metric_legend):
            # the text's own width (a label's geometry is its column's once laid out)
            widths = [sample.boundingRect().width() + label.item.boundingRect().width() + LEGEND_GAP
                      for sample, label in legend.items]
            columns = max(1, min(LEGEND_COLUMNS, len(widths)))
            while columns > 1 and _grid_width(widths, columns) > width:
                columns -= 1
            legend.setColumnCount(columns)
            legend.setMaximumHeight(LEGEND_ROW * max(1, math.ceil(len(widths) / columns)))

    def _home(self, key: str):
        return (self.loss_plot, self.loss_legend) if is_loss(key) else (self.metric_plot, self.metric_legend)

    def _show_metrics(self, show: bool) -> None:
        if show == self._metrics_shown:
            return
        self._metrics_shown = show
        if show:
            self.view.addItem(self.metric_legend, row=2, col=0)
            self.view.addItem(self.metric_plot, row=3, col=0)
            self.loss_plot.setLabel("bottom", "")
            self.loss_plot.getAxis("bottom").setStyle(showValues=False)  # the epochs are numbered once, below
        else:
            self.view.removeItem(self.metric_legend)
            self.view.removeItem(self.metric_plot)
            self.loss_plot.setLabel("bottom", self.tr("epoch"))
            self.loss_plot.getAxis("bottom").setStyle(showValues=True)
        self.loss_plot.showAxis("bottom")

    def _curve(self, key: str, keys: list[str]) -> pg.PlotDataItem:
        if key not in self.curves:
            # the loss is always blue; metrics take the next colours (training and validation share one)
            losses = sorted({base(k) for k in keys if is_loss(k)}, key=lambda b: (b != "loss", b))
            metrics = sorted({base(k) for k in keys if not is_loss(k)})
            color = PALETTE[(losses + metrics).index(base(key)) % len(PALETTE)]
            style = Qt.DashLine if key.startswith("val_") else Qt.SolidLine
            symbol = "s" if key.startswith("val_") else "o"
            plot, legend = self._home(key)
            label = key + (" = √loss" if base(key) == DERIVED else "")
            self.curves[key] = plot.plot([], [], pen=pg.mkPen(color, width=2, style=style), symbol=symbol,
                                         symbolSize=6, symbolBrush=color, symbolPen=color)
            legend.addItem(self.curves[key], label)
            self._fit_legends()
        return self.curves[key]

    def redraw(self) -> bool:
        """Update the curves if anything changed; returns whether it drew."""
        if not self.dirty:
            return False
        self.dirty = False
        series = self.series()
        self._show_metrics(any(not is_loss(k) for k in series))
        for key in sorted(series):
            x, y = series[key]
            self._curve(key, list(series)).setData(x, y)
        if self.batch_x:
            self.batch_curve.setData(np.asarray(self.batch_x), np.asarray(self.batch_y))
        if self.live:
            self._grow(self.loss_plot, [series[k][1] for k in series if is_loss(k)] + [np.asarray(self.batch_y)],
                       log=self.log_loss.isChecked())
            self._grow(self.metric_plot, [series[k][1] for k in series if not is_loss(k)])
        return True

    def _grow(self, plot, arrays, log: bool = False) -> None:
        """Fit the y range to the values with a margin; between epochs' ends (``add_epoch`` forgets the ranges),
        change it only when a value falls outside it, and then by half the span again, so that a repaint
        seldom re-lays out the axes."""
        values = np.concatenate([a for a in arrays if len(a)]) if any(len(a) for a in arrays) else np.empty(0)
        values = values[np.isfinite(values)]
        if log:
            values = np.log10(values[values > 0])
        if not len(values):
            return
        lo, hi = float(values.min()), float(values.max())
        known = self._ranges.get(id(plot))
        if known is not None and lo >= known[0] and hi <= known[1]:
            return
        span = max(hi - lo, 0.1 if log else abs(hi) * 0.1 or 0.1)
        margin = 0.1 if known is None else 0.5  # a fit, or a growth that leaves room for the next values
        low, high = lo - margin * span, hi + margin * span
        if not log and lo >= 0:
            low = max(low, 0.0)  # losses, accuracies: never below 0
        if not log and plot is self.metric_plot and 0.0 <= lo and hi <= 1.0:
            high = min(high, 1.0)  # accuracy, AUC, precision, recall: never above 1
        new = (low, high)
        self._ranges[id(plot)] = new
        plot.setYRange(*new, padding=0.02)

    def _changed(self) -> None:
        self.dirty = True
        self.redraw()

    def _log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self._ranges.pop(id(self.loss_plot), None)
        if not self.live:
            self.loss_plot.enableAutoRange()
        self._changed()


if __name__ == "__main__":
    from studio.ui.preview import preview

    def demo():
        plot = TrainingPlot()
        plot.start(0, 10, "mean_squared_error")
        rng = np.random.default_rng(0)
        for epoch in range(10):
            for batch in range(20):
                plot.add_batch(epoch + (batch + 1) / 20, 600 / (epoch + 1 + batch / 20) + rng.normal(0, 5))
            plot.add_epoch({"loss": 600 / (epoch + 1.5), "val_loss": 650 / (epoch + 1.2)})
        plot.finish()
        return plot

    preview(demo)


def _grid_width(widths: list[float], columns: int) -> float:
    """The width of legend entries laid out row by row in ``columns`` columns: each column as wide as its
    widest entry (the legend is a grid)."""
    return sum(max(widths[start::columns]) for start in range(min(columns, len(widths))))
