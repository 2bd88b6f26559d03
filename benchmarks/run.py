"""Run every benchmark and print its figures:  python benchmarks/run.py

Every benchmark runs with the bench's Python (``$DS_BENCH``, default /opt/frappe-bench, site ``$DS_SITE``,
default test.localhost), which has the app's requirements; without a bench the pure ones run with this
Python and the site ones are skipped with a line.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = Path(os.environ.get("DS_BENCH", "/opt/frappe-bench"))
PURE = ["rules_speed.py", "pricing_engine.py", "sellout_read.py", "name_matching.py"]
SITE = ["scoped_access.py", "pricing_e2e.py", "schemes_at_scale.py", "sales_control_e2e.py", "sellout_e2e.py"]


def main() -> int:
	env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
	failed = 0
	bench_python = BENCH / "env" / "bin" / "python"
	# pure benchmarks need the app's requirements (pyarrow, calamine, rapidfuzz ...): the bench's Python
	# has them; without a bench, this Python (pip install -e . first)
	pure_python = str(bench_python) if bench_python.exists() else sys.executable
	for script in PURE:
		print(f"== {script}", flush=True)
		failed |= subprocess.call([pure_python, str(HERE / script)], env=env)
	for script in SITE:
		print(f"== {script}", flush=True)
		if not bench_python.exists():
			print(f"skipped: no Frappe bench at {BENCH}")
			continue
		failed |= subprocess.call([str(bench_python), str(HERE / script)], env=env, cwd=BENCH / "sites")
	return failed


if __name__ == "__main__":
	sys.exit(main())
