"""The training's live display: one line per epoch and, in a terminal or notebook, a bar with the scores so far."""

from __future__ import annotations

from typing import Any, Callable, Optional

from emoji_lab.common.formatting import plural, wrap


class TrainingDisplay:
    """One line per epoch; in a terminal or notebook also a live bar with loss, top-1 and top-5 so far.

    Piped output gets plain lines only (no control codes); NO_COLOR is honoured by rich. The lines fit
    80 columns.
    """

    HEADER = (f"{'epoch':<5} {'seconds':>8} {'loss':>6} {'top-1':>6} {'top-5':>6} | {'val loss':>8} {'top-1':>6}"
              f" {'top-5':>6} {'macro-F1':>9}")

    def __init__(self, epochs: int, steps: int, best_epoch: Callable[[], int | None], minutes: Optional[float] = None):
        from rich.console import Console

        self.console = Console(highlight=False, emoji=False)
        self.epochs, self.steps, self.best_epoch = epochs, steps, best_epoch
        self.live = self.console.is_jupyter or (self.console.is_terminal and not self.console.is_dumb_terminal)
        self.progress, self.task = None, None
        if minutes is not None:
            self._print(wrap(f"Up to {plural(epochs, 'epoch')} or {plural(minutes, 'minute')}; sooner if val macro-F1 "
                             "stops improving."))
        self._print(self.HEADER)

    def _print(self, line: str) -> None:
        if self.live:
            self.console.print(line, markup=False, soft_wrap=True)
        else:
            print(line, flush=True)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if not self.live:
            return
        if self.progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.progress = Progress(TextColumn("epoch {task.fields[epoch]}"), BarColumn(bar_width=20),
                                     MofNCompleteColumn(), TextColumn("{task.fields[scores]}"),
                                     console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("train", total=self.steps, epoch="", scores="")
        self.progress.update(self.task, completed=0, epoch=f"{epoch + 1}/{self.epochs}", scores="")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.progress is not None and logs:
            scores = f"loss {logs['loss']:.3f}  top-1 {logs['top1']:.1%}  top-5 {logs['top5']:.1%}"
            self.progress.update(self.task, completed=batch + 1, scores=scores)

    def on_epoch_end(self, epoch: int, logs: dict) -> None:
        line = (f"{epoch + 1:>2}/{self.epochs:<2} {logs['seconds']:>8.1f} {logs['loss']:>6.3f} {logs['top1']:>6.1%}"
                f" {logs['top5']:>6.1%} | {logs['val_loss']:>8.3f} {logs['val_top1']:>6.1%} {logs['val_top5']:>6.1%}"
                f" {logs['val_macro_f1']:>9.1%}" + ("  best" if self.best_epoch() == epoch + 1 else ""))
        if self.progress is not None:
            self.progress.console.print(line, markup=False, soft_wrap=True)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def summary(self, record: dict, monitor: Any) -> None:
        """One closing line: which epoch was kept and why training ended."""
        best = record["epochs"][record["best_epoch"] - 1][monitor.key]
        line = f"kept epoch {record['best_epoch']} ({monitor.words} {monitor.shown(best)})"
        if record.get("stopped_by") == "the clock":
            line += f"; stopped: another epoch would pass the {record['config']['minutes']:g}-minute budget"
        elif record["stopped_early"]:
            line += (f"; stopped early: {monitor.words.split(' ', 1)[1]} did not improve for "
                     f"{record['config']['patience']} epochs")
        self._print(wrap(line))
