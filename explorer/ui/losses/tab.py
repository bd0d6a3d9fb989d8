"""The Losses tab: set up a PyTorch loss, see its value, its gradient, its code and its curves."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.lossbench.codegen import pytorch_code
from explorer.lossbench.curves import sample_points
from explorer.lossbench.document import LossCallDocument
from explorer.lossbench.evaluate import LossRejected, LossResult, evaluate
from explorer.lossbench.hints import result_notes, tensor_hints
from explorer.lossbench.spec import (
    CLASS_INDICES,
    KIND_LABELS,
    LOSSES,
    LossOptions,
    input_kind,
    replace_options,
    target_kind,
)
from explorer.lossbench.state import TypedTensors, tensors_from_state
from explorer.lossbench.tables import loss_tables
from explorer.lossbench.tensors import MAX_SIZE, check_shape, convert, random_tensor, resized
from explorer.ui.losses.curve_panels import CURVES_CAPTION, LossCurvePanels
from explorer.ui.losses.data_panel import DTYPES, LossDataPanel
from explorer.ui.losses.options_panel import LossOptionsPanel
from explorer.ui.losses.result_view import LossResultView, heading
from explorer.ui.losses.table_pair import TablePair, labelled
from explorer.ui.losses.tensor_table import PastedBlock, TensorTable, TensorTableModel
from explorer.ui.tab_base import ExplorerTab
from explorer.ui.theme import theme

#: The theme's colour for each level of message.
MESSAGE_ROLES = {"error": "error", "warning": "warning", "info": "muted"}
#: The controls, the tables and the plots side by side: their widths at first, in pixels (the
#: controls column then takes the least width its texts need).
SPLIT = (300, 440, 540)


class LossesTab(ExplorerTab):
    """PyTorch's nine losses with their options, value, gradient, PyTorch code and curves.

    Automation (the CLI's ``explorer export losses`` uses it): :meth:`set_loss` picks a loss
    and options, :meth:`set_shape`, :meth:`set_seed`, :meth:`set_dtype` and
    :meth:`set_tensors` set the data; :attr:`last_result` is the last valid
    :class:`~explorer.lossbench.evaluate.LossResult`.
    """

    title = "Losses"
    export_name = "losses"

    def __init__(self, parent=None, call: LossCallDocument | None = None):
        super().__init__(parent)
        self.setObjectName("lossesTab")
        # The current call, for the views that show it another way (the autograd graph).
        self.call_document = call if call is not None else LossCallDocument()
        self.last_result: LossResult | None = None
        self._last_shown: tuple | None = None
        self._kinds = ("", "")
        # What was typed for each kind of input and target, back when a loss takes them again.
        self.typed = TypedTensors()
        self._curve_params: tuple[float, float] | None = None
        self.options_panel = LossOptionsPanel()
        self.data_panel = LossDataPanel()
        self.input_model = TensorTableModel("input", editable=True, parent=self)
        self.target_model = TensorTableModel("target", editable=True, parent=self)
        self.results = LossResultView()
        self.gradient_model = self.results.gradient_model
        self.output_model = self.results.output_model
        self.code = self.results.code
        self.curves = LossCurvePanels()
        self._build_layout()
        panel = self.data_panel
        self.n_spin, self.c_spin, self.seed_spin = panel.n_spin, panel.c_spin, panel.seed_spin
        self.randomize_button, self.copy_button = panel.randomize_button, self.results.copy_button
        self.options_panel.sigOptionsChanged.connect(self._on_options_changed)
        self.input_model.sigCellEdited.connect(self._on_table_edited)
        self.target_model.sigCellEdited.connect(self._on_table_edited)
        panel.n_spin.valueChanged.connect(self._on_shape_changed)
        panel.c_spin.valueChanged.connect(self._on_shape_changed)
        panel.seed_spin.valueChanged.connect(self._on_seed_changed)
        panel.randomize_button.clicked.connect(self._on_randomize_clicked)
        panel.dtype.currentIndexChanged.connect(self._on_dtype_changed)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        for view in (self.input_table, self.target_table):
            view.grow = self._make_grow(view.table_model())
            view.sigPasted.connect(self._on_table_pasted)
        self._sync_tensor_kinds(regenerate=True)
        self._on_options_changed()

    def _build_layout(self) -> None:
        controls = QWidget()
        left = QVBoxLayout(controls)
        loss_box = QGroupBox("Loss function")
        QVBoxLayout(loss_box).addWidget(self.options_panel)
        left.addWidget(loss_box)
        left.addWidget(self.data_panel)
        self.message = QLabel(objectName="lossMessage")
        self.message.setWordWrap(True)
        self.message.setToolTip("What the engine said about the last change")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.message)
        theme().sigChanged.connect(self._color_message)
        left.addStretch(1)
        self.controls = controls
        scroll = QScrollArea(objectName="lossControls")
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll = scroll
        self._controls_fitted = False
        self._column_wants = 0  # the controls column's width with every text whole
        self._user_sized = False  # the user dragged a splitter handle: the widths are theirs
        theme().watch(scroll, self._on_theme_changed)

        self.input_table = TensorTable(
            self.input_model,
            "lossInput",
            "input: editable. Type a number into a cell, or paste a block (Ctrl+V) from a "
            "spreadsheet (a larger block grows N × C, up to 16 × 16); a cell that is not a "
            "finite number turns red and the last valid result stays on screen. Ctrl+C "
            "copies the selection.",
        )
        self.target_table = TensorTable(
            self.target_model,
            "lossTarget",
            "target: editable (type, or paste with Ctrl+V: a larger block grows N × C), in "
            "the form the loss needs",
        )
        self.input_label = heading("input", "The first argument of the loss")
        self.target_label = heading("target", "The second argument of the loss")
        self.inputs = TablePair(
            labelled(self.input_label, self.input_table),
            labelled(self.target_label, self.target_table),
        )
        # The tables take most of the height; the code folds away (drag its handle down).
        middle = QSplitter(Qt.Orientation.Vertical, objectName="lossMiddle")
        for index, (widget, stretch) in enumerate(
            ((self.inputs, 4), (self.results, 3), (self.results.code_box, 2))
        ):
            middle.addWidget(widget)
            middle.setStretchFactor(index, stretch)
            middle.setCollapsible(index, widget is self.results.code_box)
        middle.setSizes([400, 300, 200])
        self.middle = middle

        # The caption folds away (drag its handle down) to give a small screen's plots room.
        curves_box = QSplitter(Qt.Orientation.Vertical, objectName="curvesBox")
        curves_box.addWidget(self.curves)
        caption = QLabel(CURVES_CAPTION, objectName="curveCaption")
        caption.setWordWrap(True)
        theme().watch(caption, lambda: caption.setStyleSheet(_caption_style()))
        caption.setToolTip("The lecture notes' 'gradient difference' slide, computed by the engine")
        curves_box.addWidget(caption)
        curves_box.setStretchFactor(0, 1)
        curves_box.setCollapsible(0, False)
        self.caption = caption

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (scroll, middle, curves_box):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 5)
        splitter.setSizes(list(SPLIT))
        splitter.splitterMoved.connect(self._on_splitter_moved)
        self.splitter = splitter
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    # -- automation ---------------------------------------------------------------------------
    def set_loss(self, kind: str, **options: Any) -> None:
        """Choose loss ``kind`` ('L1', 'KLDiv', ...) and change ``options`` (LossOptions names)."""
        if kind not in LOSSES:
            raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")
        _, current, _ = self.options_panel.read()
        self.options_panel.set_state(kind, replace_options(current, **options))
        self._on_options_changed()

    def set_shape(self, n: int, c: int) -> None:
        """Resize the tensors to N x C (keeping the values they share)."""
        check_shape(n, c)
        panel = self.data_panel
        panel.set_quietly(n, c, panel.seed(), panel.dtype_name())
        self._on_shape_changed()

    def set_seed(self, seed: int) -> None:
        """Draw the tensors from ``seed`` (again, if it is the current seed)."""
        if seed == self.seed_spin.value():
            self._on_seed_changed(seed)
        else:
            self.seed_spin.setValue(seed)

    def set_dtype(self, dtype: str) -> None:
        """'float64' (the PyTorch code matches digit for digit) or 'float32' (torch's default)."""
        index = self.data_panel.dtype.findData(dtype)
        if index < 0:
            raise ValueError(f"dtype must be 'float64' or 'float32'; got {dtype!r}")
        self.data_panel.dtype.setCurrentIndex(index)

    def randomize(self) -> None:
        self._on_randomize_clicked()

    def set_tensors(self, input: np.ndarray, target: np.ndarray) -> None:  # noqa: A002
        """Put ``input`` and ``target`` in the tables (shapes must fit the loss) and recompute."""
        self.input_model.set_values(np.asarray(input, dtype=np.float64), integer=False)
        integer = target_kind(*self._spec_options()) == CLASS_INDICES
        dtype = np.int64 if integer else np.float64
        self.target_model.set_values(np.asarray(target, dtype=dtype), integer=integer)
        self._recompute()

    def current_options(self) -> tuple[str, LossOptions]:
        kind, options, _ = self.options_panel.read()
        return kind, options

    def current_dtype(self) -> str:
        return self.data_panel.dtype_name()

    def _spec_options(self):
        kind, options = self.current_options()
        return LOSSES[kind], options

    # -- recompute ----------------------------------------------------------------------------
    def _sync_tensor_kinds(self, regenerate: bool = False) -> None:
        """Make the tables hold what the loss needs: convert where that means something."""
        spec, options = self._spec_options()
        kinds = (input_kind(spec, options), target_kind(spec, options))
        (n, c), seed = self.data_panel.shape(), self.data_panel.seed()
        models = (self.input_model, self.target_model)
        recalled = None
        if regenerate:
            self.typed.forget()
        elif kinds != self._kinds:
            if all(self._kinds):
                self.typed.keep(self._kinds, *(model.values() for model in models))
            recalled = self.typed.recall(kinds, (n, c))
        for stream, (model, old, new) in enumerate(zip(models, self._kinds, kinds, strict=True)):
            if recalled is not None:
                values = recalled[stream]
            elif regenerate or old != new:
                values = None if regenerate else convert(model.values(), old, new, c)
                if values is None:
                    values = random_tensor(new, n, c, seed, stream)
            else:
                continue
            model.column_header = "class" if new == CLASS_INDICES else ""
            model.set_values(values, integer=new == CLASS_INDICES)
        self._kinds = kinds
        self.inputs.arrange(self.inputs.second if kinds[1] == CLASS_INDICES else None)
        self.input_label.setText(f"input  ({KIND_LABELS[kinds[0]]}, N × C)")
        if kinds[1] == CLASS_INDICES:
            self.target_label.setText("target  (class indices, N)")
        else:
            self.target_label.setText(f"target  ({KIND_LABELS[kinds[1]]}, N × C)")

    def _recompute(self) -> None:
        """Evaluate with the engine; on bad input keep the last valid result and say why."""
        kind, options, option_error = self.options_panel.read()
        problems = self.input_model.bad_cells() + self.target_model.bad_cells()
        if option_error:
            problems.insert(0, option_error)
        if problems:
            self._show_message(problems[0] + " (showing the last valid result)", "error")
            return
        x, t, dtype = self.input_model.values(), self.target_model.values(), self.current_dtype()
        # Everything is computed before anything is shown: all or nothing on screen.
        try:
            result = evaluate(kind, options, x, t, dtype)
            code = pytorch_code(kind, options, x, t, dtype)
            with np.errstate(all="ignore"):
                samples = sample_points(kind, options, x, t)
                notes = [
                    *result_notes(kind, options, t, result, dtype),
                    *result.warnings,
                    *tensor_hints(kind, options, x, t),
                ]
        except LossRejected as rejection:
            self._show_message(f"{rejection} (showing the last valid result)", "error")
            return
        self.last_result = result
        self._last_shown = (kind, x, t, dtype, code)
        self.call_document.set_call(kind, options, x, t, dtype)
        self.results.show_result(result, code)
        self.curves.show_samples(samples, kind)
        if notes:
            self._show_message("\n".join(f"⚠ {note}" for note in notes), "warning")
        else:
            self._show_message(f"{LOSSES[kind].class_name}: computed by the engine", "info")

    def _show_message(self, text: str, level: str) -> None:
        if text != self.message.text():
            self.message.setText(text)
        if self.message.property("level") != level:
            self.message.setProperty("level", level)
            self._color_message()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._controls_fitted:
            self._fit_controls()
            self._controls_fitted = True

    def _on_theme_changed(self) -> None:
        # Only a shown tab measures its widgets as they are drawn: a hidden one fits them
        # as well as it can now, and again when it is shown.
        self._fit_controls()
        self._controls_fitted = self.isVisible()

    def _fit_controls(self) -> None:
        # One label column for every loss (the widest label of all rows) and a column as wide
        # as the widest loss's form: choosing a loss never moves or cuts the fields (at the
        # zoomed size too).
        labels = [*self.options_panel.field_labels(), *self.data_panel.field_labels()]
        label_width = max(_label_hint(label, 0) for label in labels)
        for label in labels:
            _label_hint(label, label_width)
        widest = self.options_panel.widest(self._controls_width)
        scroll = self.controls_scroll
        edges = scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth()
        scroll.setMinimumWidth(widest + edges)
        if self.isVisible():
            self._column_wants = max(widest, self._controls_width(whole=True)) + edges
            self._share_width()

    def _share_width(self) -> None:
        """Until the user drags a splitter handle: the controls column at its least width,
        the tables and the plots sharing the rest as SPLIT does (the plots at least their
        least width), and then the plots lend the column what it needs to show every text
        whole (the dtype's), down to their least width; the tables keep theirs."""
        splitter = self.splitter
        if self._user_sized or not self._column_wants or not splitter.isVisible():
            return
        handles = sum(splitter.handle(i).width() for i in range(1, splitter.count()))
        least_column = self.controls_scroll.minimumWidth()
        rest = splitter.width() - handles - least_column
        least_plots = splitter.widget(2).minimumSizeHint().width()
        plots = max(least_plots, round(rest * SPLIT[2] / (SPLIT[1] + SPLIT[2])))
        tables = rest - plots
        lent = max(0, min(self._column_wants - least_column, plots - least_plots))
        wanted = [least_column + lent, tables, plots - lent]
        if rest > 0 and splitter.sizes() != wanted:
            splitter.setSizes(wanted)

    def _on_splitter_moved(self, *_args) -> None:
        self._user_sized = True

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._share_width()

    def _controls_width(self, whole: bool = False) -> int:
        """The controls' least width; ``whole``: with the dtype box showing its text whole."""
        dtype = self.data_panel.dtype
        dtype.setMinimumWidth(dtype.sizeHint().width() if whole else 0)
        # Sizes are the style's once polished, and a hidden tab's layouts keep the sizes of
        # their last activation: measure afresh.
        self.controls.ensurePolished()
        for widget in (self.controls, *self.controls.findChildren(QWidget)):
            if widget.layout() is not None:
                widget.layout().invalidate()
                widget.updateGeometry()  # its parent's layout keeps its last minimum until told
        width = self.controls.minimumSizeHint().width()
        dtype.setMinimumWidth(0)
        return width

    def _color_message(self) -> None:
        level = self.message.property("level")
        if level is not None:
            palette = theme().palette
            color = palette.text_color(getattr(palette, MESSAGE_ROLES[level]), palette.panel)
            self.message.setStyleSheet(f"color: {theme().hex(color)};")

    # -- slots ----------------------------------------------------------------------------------
    def _on_options_changed(self) -> None:
        self._sync_tensor_kinds()
        kind, options = self.current_options()
        if (options.delta, options.beta) != self._curve_params:
            self._curve_params = (options.delta, options.beta)
            self.curves.update_regression(options.delta, options.beta)
        self.curves.highlight(kind)
        self._recompute()

    def _on_table_edited(self, row: int, column: int) -> None:
        del row, column
        self._recompute()

    def _on_shape_changed(self, *args) -> None:
        del args
        self.typed.forget()  # kept tensors of another shape belong to no loss now
        (n, c), seed = self.data_panel.shape(), self.data_panel.seed()
        for stream, (model, kind) in enumerate(
            zip((self.input_model, self.target_model), self._kinds, strict=True)
        ):
            fresh = random_tensor(kind, n, c, seed, stream)
            values = resized(model.values(), fresh)
            if kind == CLASS_INDICES:
                values = np.where((values >= 0) & (values < c), values, fresh)
            model.set_values(values)
        self._recompute()

    def _make_grow(self, model: TensorTableModel):
        """The paste's ``grow``: N × C as large as the block needs, within the shape limits
        (a class-index target has one column: only N grows for it)."""

        def grow(rows: int, columns: int) -> None:
            n, c = self.data_panel.shape()
            new_n = min(max(n, rows), MAX_SIZE)
            new_c = c if model.values().ndim == 1 else min(max(c, columns), MAX_SIZE)
            if (new_n, new_c) != (n, c):
                self.set_shape(new_n, new_c)

        return grow

    def _on_table_pasted(self, block: PastedBlock) -> None:
        rows, columns = block.size
        indices = block.name == self.target_model.name and self._kinds[1] == CLASS_INDICES
        row, column = block.start
        where = f"{block.name}[{row}]" if indices else f"{block.name}[{row}, {column}]"
        notes = []
        if block.after != block.before:
            n, c = self.data_panel.shape()
            notes.append(f"N × C is now {n} × {c} to hold the pasted {rows} × {columns} block")
        left = block.left_out()
        if left:
            reasons = []
            if row + rows > block.after[0]:
                reasons.append(f"N is at most {MAX_SIZE}")
            if column + columns > block.after[1]:
                reasons.append(
                    "class indices are one column" if indices else f"C is at most {MAX_SIZE}"
                )
            notes.append(
                f"⚠ Pasted {rows} × {columns} at {where}: {left} left out ({'; '.join(reasons)})"
            )
        if not notes:
            return
        level = self.message.property("level") or "info"
        if left and level == "info":
            level = "warning"
        self._show_message("\n".join([*notes, self.message.text()]), level)

    def _on_seed_changed(self, seed: int) -> None:
        del seed
        self._sync_tensor_kinds(regenerate=True)
        self._recompute()

    def _on_dtype_changed(self, index: int) -> None:
        del index
        self._recompute()

    def _on_randomize_clicked(self) -> None:
        self.seed_spin.setValue(self.seed_spin.value() + 1)

    def _on_copy_clicked(self) -> None:
        self._show_message("PyTorch code copied to the clipboard", "info")

    # -- ExplorerTab ----------------------------------------------------------------------------
    def export_items(self):
        return dict(self.curves.plots)

    def export_tables(self) -> dict[str, tuple[list[str], list[list]]]:
        """The last valid result as tables for CSV: ``{name: (header, rows)}``.

        ``tensors``: one row per element with its input, target, output (reduction='none')
        and input.grad; ``value``: the loss, its reduction and value.
        """
        if self.last_result is None or self._last_shown is None:
            return {}
        return loss_tables(self.last_result, *self._last_shown[:4])

    def export_texts(self) -> dict[str, tuple[str, str]]:
        """``{name: (file extension, text)}``: the PyTorch code of the last valid result."""
        if self._last_shown is None:
            return {}
        return {"pytorch-code": ("py", self._last_shown[4])}

    def state(self) -> dict[str, Any]:
        kind, options = self.current_options()
        n, c = self.data_panel.shape()
        return {
            "loss": kind,
            "options": options.to_dict(),
            "shape": [n, c],
            "seed": self.data_panel.seed(),
            "dtype": self.current_dtype(),
            "input": self.input_model.values().tolist(),
            "target": self.target_model.values().tolist(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        kind, options, (n, c), seed, x, t = tensors_from_state(state)
        dtype = state.get("dtype", "float64")
        if dtype not in [value for _, value in DTYPES]:
            raise ValueError(f"state 'dtype' must be 'float64' or 'float32'; got {dtype!r}")
        self.data_panel.set_quietly(n, c, seed, dtype)
        self.options_panel.set_state(kind, options)
        self._sync_tensor_kinds(regenerate=True)
        self._on_options_changed()
        self.set_tensors(x, t)


def _label_hint(label: QLabel, minimum: int) -> int:
    """Give ``label`` the ``minimum`` width and return its width hint, measured afresh: a
    label keeps the hint it measured last, which includes the minimum it had then."""
    label.setMinimumWidth(minimum)
    label.setIndent(label.indent())  # makes it measure again
    return label.sizeHint().width()


def _caption_style() -> str:
    """The curves' caption: small muted text on the plots' background, under them."""
    current = theme()
    palette = current.palette
    return (
        f"color: {current.hex(palette.muted)}; font-size: {current.pt(8):g}pt; "
        f"background: {current.hex(palette.background)}; padding: {current.px(4)}px;"
    )
