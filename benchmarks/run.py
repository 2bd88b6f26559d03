"""Run every benchmark and print its figures:  python benchmarks/run.py

Pure benchmarks run with this Python; site benchmarks with the bench's Python (``$DS_BENCH``, default
/opt/frappe-bench, site ``$DS_SITE``, default test.localhost) and are skipped with a line without one.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = Path(os.environ.get("DS_BENCH", "/opt/frappe-bench"))
PURE = ["rules_speed.py", "pricing_engine.py", "sellout_read.py", "name_matching.py"]
SITE = ["scoped_access.py", "pricing_e2e.py", "sales_control_e2e.py", "sellout_e2e.py"]


def main() -> int:
	env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
	failed = 0
	for script in PURE:
		print(f"== {script}", flush=True)
		failed |= subprocess.call([sys.executable, str(HERE / script)], env=env)
	bench_python = BENCH / "env" / "bin" / "python"
	for script in SITE:
		print(f"== {script}", flush=True)
		if not bench_python.exists():
			print(f"skipped: no Frappe bench at {BENCH}")
			continue
		failed |= subprocess.call([str(bench_python), str(HERE / script)], env=env, cwd=BENCH / "sites")
	return failed


if __name__ == "__main__":
	sys.exit(main())
