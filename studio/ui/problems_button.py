"""The status bar's problem count, as a button: its menu lists every problem, shows where it is, fixes the obvious.

Choosing a problem selects and centres its layer on the canvas and says the
problem in the status bar. Below the problems come the obvious fixes, each one
undoable edit: "Set dense_2 as model output" for each loose end of a chain
that starts at an Input, when the model has no output or that layer's result
reaches none; and the advisor's fixes ("Set input_layer's shape to 3 (the
data's features)", "Use ReLU"): its findings count here too, an Input that
does not fit the data as a problem (Train would refuse), the rest as warnings.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QStyle, QToolButton

from studio.core.graph import reaches_input
from studio.ui import commands, language
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
        self.menu().setToolTipsVisible(True)  # a long problem is cut in the menu, whole on hover
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
            action = menu.addAction(icons[problem.severity], _elide(f"{where + ': ' if where else ''}{problem.message}"),
                                    lambda p=problem: self.choose(p))
            action.setToolTip(f"{where + ': ' if where else ''}{problem.message}")
        fixes = self.fixes(report)
        findings = [p.finding for p in report.errors + report.warnings if p.finding is not None and p.finding.fix]
        if fixes or findings:
            menu.addSeparator()
            for name in fixes:
                menu.addAction(self.tr("Set {0} as model output").format(name), lambda n=name: self.set_output(n))
            code = language.current()
            for finding in findings:  # the advisor's fixes, the same as its Fix buttons
                label = (f"{finding.node}: " if finding.node else "") + finding.fix_text(code)
                menu.addAction(label, lambda f=finding: self.apply_finding(f))

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

    def apply_finding(self, finding) -> None:
        from studio.ui.advisor_panel import apply_finding
        apply_finding(self.document, finding)
        if finding.node and finding.node in self.scene.nodes:
            self.scene.focus_node(finding.node)
        self.message.emit(translate("ProblemsButton", "Done: {0}").format(finding.fix_text(language.current())))

    def set_output(self, name: str) -> None:
        self.document.push(commands.SetOutput(self.document.graph, name, True))
        self.scene.focus_node(name)
        self.message.emit(translate("ProblemsButton", "{0} is now the model output").format(name))



def _elide(text: str, limit: int = 110) -> str:
    """A menu entry of one readable line; the whole text is its tooltip."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
