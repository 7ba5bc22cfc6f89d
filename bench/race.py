"""Time and outcome of "Replay the experiment" at N = 100 (target: under 20 s on digits).

The first figures are the default scenario (digits, 30 % systematic noise) and digits with 20 % uniform
noise; with --all, every built-in dataset with each noise kind follows, each with its table and the
app's explanation.
Run: python bench/race.py [--steps 100] [--reviewer 100] [--all]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric.data.catalog import DATASETS  # noqa: E402
from datacentric.experiment import compare, race  # noqa: E402
from datacentric.experiment.approaches import ROWS  # noqa: E402
from datacentric.lab.prepare import prepare  # noqa: E402
from datacentric.lab.scenario import DEFAULT, Scenario  # noqa: E402
from datacentric.present import explain

KINDS = (("systematic", 30), ("uniform", 20), ("pairs", 30), ("ambiguous", 20))


def run(scenario: Scenario, steps: int, reviewer: int) -> None:
    lab = prepare(scenario)
    start = time.perf_counter()
    result = race.run(lab, steps=steps, reviewer_accuracy=reviewer / 100)
    print(f"\n{scenario.describe()}, N={steps}, reviewer right {reviewer} %: {time.perf_counter() - start:.1f} s")
    table = compare.race_table(lab, result)
    for approach, row in table.set_index("approach").iterrows():
        print(f"  {ROWS[approach]:<36} {row['accuracy']:.1%}  ({row['gain']:+.1f} pts)  {row['how']}")
    for sentence in explain.race_outcome(lab, result, table):
        print(f"  - {sentence}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--reviewer", type=int, default=100, help="how often the reviewer is right, in percent")
    parser.add_argument("--all", action="store_true", help="every built-in dataset with each noise kind")
    args = parser.parse_args()
    scenarios = [DEFAULT, Scenario("digits", "uniform", 20, 0)]
    if args.all:
        scenarios += [
            Scenario(name, kind, rate, 0)
            for name in DATASETS
            for kind, rate in KINDS
            if Scenario(name, kind, rate, 0) not in scenarios
        ]
    for scenario in scenarios:
        run(scenario, args.steps, args.reviewer)


if __name__ == "__main__":
    main()
