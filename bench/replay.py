"""Time of "Replay the experiment" for digits with 20 % uniform noise at N = 100 (target: under 20 s).

Prints the wall time and the outcome. Run: python bench/replay.py [N]
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datacentric import compare, replay  # noqa: E402
from datacentric.lab import prepare  # noqa: E402
from datacentric.scenario import Scenario  # noqa: E402


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    lab = prepare(Scenario("digits", "uniform", 20, 0))
    start = time.perf_counter()
    result = replay.replay_experiment(lab, steps=steps)
    print(f"replay digits N={steps}: {time.perf_counter() - start:.1f} s")
    table = compare.replay_table(lab, result).set_index("approach")
    for approach, row in table.iterrows():
        print(f"  {approach:<20} {row['accuracy']:.1%}  ({row['gain']:+.1f} pts)  {row['how']}")


if __name__ == "__main__":
    main()
