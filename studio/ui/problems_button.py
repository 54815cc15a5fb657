"""The status bar's problem count, as a button: its menu lists every problem, shows where it is, fixes the obvious.

Choosing a problem selects and centres its layer on the canvas and says the
problem in the status bar. Below the problems come the obvious fixes, each one
undoable edit: "Set dense_2 as model output" for each loose end of a chain
that starts at an Input, when the model has no output or that layer's result
reaches none.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QStyle, QToolButton

from studio.core.graph import reaches_input
from studio.ui import commands
from studio.ui.language import translate


class ProblemsButton(QToolButton):
    """``1 problem`` / ``3 problems`` / ``2 warnings`` in the status bar; hidden when all is well."""

    message = Signal(str)  # what to show in the status bar

    def __init__(self, document, scene, parent=None):
        super().__init__(parent)
        self.document, self.scene = document, scene
        self.setPopupMode(QToolButton.InstantPopup)
        self.setAutoRaise(True)
        self.setMenu(QMenu(self))
        document.validated.connect(self.show_report)
        self.show_report(document.report)

    def show_report(self, report) -> None:
        errors, warnings = len(report.errors), len(report.warnings)
        if errors:
            text = self.tr("1 problem") if errors == 1 else self.tr("{0} problems").format(errors)
            style = "color: #d62728; font-weight: bold;"
        elif warnings:
            text = self.tr("1 warning") if warnings == 1 else self.tr("{0} warnings").format(warnings)
            style = "color: #9a6700;"
        else:
            text, style = "", ""
        self.setText(text)
        self.setStyleSheet(f"QToolButton {{ {style} }}")
        self.setVisible(bool(text))
        self.setToolTip(self.tr("Click to see each problem and where it is") if text else "")
        self._fill(report)

    def _fill(self, report) -> None:
        menu = self.menu()
        menu.clear()
        style = self.style()
        icons = {"error": style.standardIcon(QStyle.SP_MessageBoxCritical),
                 "warning": style.standardIcon(QStyle.SP_MessageBoxWarning)}
        for problem in report.errors + report.warnings:
            where = ", ".join(problem.nodes)
            action = menu.addAction(icons[problem.severity], f"{where + ': ' if where else ''}{problem.message}",
                                    lambda p=problem: self.choose(p))
            action.setToolTip(str(problem))
        fixes = self.fixes(report)
        if fixes:
            menu.addSeparator()
            for name in fixes:
                menu.addAction(self.tr("Set {0} as model output").format(name), lambda n=name: self.set_output(n))

    def fixes(self, report) -> list[str]:
        """The layers worth offering as "Set as model output": loose ends (feeding nothing) whose chain
        starts at an Input, when the model has no output or one of them reaches none."""
        graph = self.document.graph
        fed = {src for node in graph for src in node.inputs}
        loose = [n for n in graph.names if n not in fed and graph.node(n).class_name != "Input"
                 and n not in graph.outputs and reaches_input(graph, n)]
        flagged = {n for p in report.errors for n in p.nodes}
        return [n for n in loose if not graph.outputs or n in flagged]

    def choose(self, problem) -> None:
        """Select and centre the problem's layers and say the problem."""
        names = [n for n in problem.nodes if n in self.scene.nodes]
        if names:
            self.scene.focus_node(names[0])
            for name in names[1:]:
                self.scene.nodes[name].setSelected(True)
            for view in self.scene.views():
                view.centerOn(self.scene.nodes[names[0]])
        where = ", ".join(problem.nodes)
        self.message.emit(f"{where + ': ' if where else ''}{problem.message}")

    def set_output(self, name: str) -> None:
        self.document.push(commands.SetOutput(self.document.graph, name, True))
        self.scene.focus_node(name)
        self.message.emit(translate("ProblemsButton", "{0} is now the model output").format(name))

