"""Importing tasks.py (as invoke does, from any folder) changes neither the working directory nor the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Imports tasks.py from another folder, as invoke does once it found the file, and reports the state around it.
PROBE = """
import json, os, sys
before = {"cwd": os.getcwd(), "environ": dict(os.environ)}
sys.path.insert(0, sys.argv[1])
import tasks
after = {"cwd": os.getcwd(), "environ": dict(os.environ)}
print(json.dumps({"before": before, "after": after, "run_env": dict(tasks.ns.configuration()["run"]["env"])}))
"""


def test_importing_tasks_changes_no_working_directory_or_environment(tmp_path):
    env = {name: value for name, value in os.environ.items() if name != "NAUTOBOT_CONFIG"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE, str(ROOT)], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    state = json.loads(result.stdout)
    assert state["after"]["cwd"] == state["before"]["cwd"] == str(tmp_path)
    assert state["after"]["environ"] == state["before"]["environ"]
    assert "NAUTOBOT_CONFIG" not in state["after"]["environ"]
    # What the process no longer gets, the tasks' commands still do: the configuration, and this virtualenv first.
    assert state["run_env"]["NAUTOBOT_CONFIG"] == str(ROOT / "development" / "nautobot_config.py")
    assert state["run_env"]["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
