"""The README's two commands stay true: CI runs its test command exactly."""

import re

from conftest import REPO


def readme_command(heading: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = readme_command("Run the tests:")
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert command in ci_lines


def test_the_sample_command_builds_the_bundled_workbook() -> None:
    command = readme_command("Run the sample")
    workbook = re.search(r"plangen build (\S+)", command).group(1)
    assert (REPO / workbook).is_file()


def test_every_cli_command_has_help_with_an_example(run) -> None:
    from plangen.cli import cli

    for name, command in cli.commands.items():
        if getattr(command, "commands", None):
            continue  # a group: its subcommands are checked by their own tests
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output, name
