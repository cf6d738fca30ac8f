import subprocess
import sys


def test_observatory_help_lists_subcommands():
    result = subprocess.run([sys.executable, "-m", "observatory.cli", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("sample", "validate", "ingest", "template", "protect"):
        assert command in result.stdout
