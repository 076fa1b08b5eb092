"""The README's console examples are run and must print exactly what the README shows."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import ROOT, subprocess_env

README = (ROOT / "README.md").read_text()


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of the ```console blocks."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command:
            examples.append((command, "\n".join(output)))
    return examples


@pytest.mark.parametrize("command, expected", console_examples(), ids=lambda v: v[:40])
def test_readme_example_prints_what_the_readme_shows(command, expected, tmp_path, actcli_on_path):
    # `actcli` in the README is the installed console script, running this checkout's code.
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                            env=subprocess_env(COLUMNS="100"), timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")


def test_the_set_up_block_has_the_two_commands_ci_runs():
    block = re.search(r"<!-- ci:setup.*?```sh\n(.*?)```", README, re.S)
    assert block and len(block.group(1).strip().splitlines()) == 2
