"""One training, planned: which model (its registry entry), how much training (its budget), which seed, how
patient, and where the run is kept; and, for a student, what it learns from.

`Plan.of("chcnn-blstm", quick=True)` is a lesson's training of that model. Keyword changes adjust it, each checked:
budget fields (`epochs`, `minutes`: None for no clock, `max_train`: None for every text, `batch_size`) and the
plan's own (`seed`, `patience`, `name`, `runs_root`, `out`), as in `Plan.of("bytegrams", epochs=3, runs_root=tmp)`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.models import registry
from emoji_lab.models.budgets import Budget
from emoji_lab.models.registry import ModelSpec

PATIENCE = 3  # epochs without a better val macro-F1 before stopping (it is noisier than the loss)
BUDGET_FIELDS = tuple(f.name for f in dataclasses.fields(Budget))


@dataclass(frozen=True)
class Plan:
    spec: ModelSpec
    budget: Budget
    seed: int = 2017
    patience: int = PATIENCE
    name: Optional[str] = None  # the run's name: by default the model's, or the `out` folder's
    runs_root: Optional[Path] = None  # the runs folder: by default the one in EMOJI_LAB_HOME
    out: Optional[Path] = None  # this exact folder instead of runs_root/<data>/<name>

    def __post_init__(self) -> None:
        if isinstance(self.patience, bool) or not isinstance(self.patience, int) or self.patience < 1:
            raise EmojiLabError(f"patience must be a whole number of at least 1, not {self.patience!r}")

    @classmethod
    def of(cls, model: str | ModelSpec, quick: bool = False, **changes: Any) -> "Plan":
        """A lesson's training of `model` (quick: its smaller budget), with `changes` to the budget or the plan."""
        spec = model if isinstance(model, ModelSpec) else registry.spec(model)
        unknown = sorted(set(changes) - set(BUDGET_FIELDS) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise EmojiLabError(f"a training plan has no {', '.join(unknown)}: it has {', '.join(BUDGET_FIELDS)}, "
                                "seed, patience, name, runs_root and out")
        budget = spec.budget(quick).replace(**{k: changes.pop(k) for k in BUDGET_FIELDS if k in changes})
        return cls(spec, budget, **changes)

    def replace(self, **changes: Any) -> "Plan":
        """This plan with some budget or plan fields changed (and checked)."""
        budget = self.budget.replace(**{k: changes.pop(k) for k in BUDGET_FIELDS if k in changes})
        return dataclasses.replace(self, budget=budget, **changes)

    @property
    def run_name(self) -> str:
        return self.name or (Path(self.out).name if self.out else self.spec.name)


@dataclass(frozen=True)
class Teaching:
    """What a student learns from instead of one-hot labels: `targets`, [training texts, classes] probabilities;
    `teachers`, where they came from (kept in the run's record); `keep(folder)`, what else its run keeps."""

    targets: Any
    teachers: dict
    keep: Optional[Callable[[Path], None]] = None
