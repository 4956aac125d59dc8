"""Write input/examples/their-layout/: a program's own visit log, its plangen.toml and a CSV variant.

The workbook is laid out the way programs keep theirs (title rows, their own
headers, a sheet per week, a two-row header, text dates, a totals row); the
plangen.toml maps the few headers plangen does not know; the CSV is the second
week as another system would export it. Invented people only. The layout comes
from tests/their_layout.py, which the tests build the same way.

    python tools/make_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from their_layout import write_their_csv, write_their_toml, write_their_workbook  # noqa: E402

EXAMPLE = REPO / "input" / "examples" / "their-layout"
FAMILIES = 5

README = """\
# A program's own visit log

`visit-log.xlsx` is laid out the way a program keeps its own: title rows above the header,
its own headers ("Child's Name", "Date of Visit", "Strategy #1", "Plan B?"), one sheet per
week ("Week 46" has a two-row header with "Strategy #1" merged over its parts; "Week 47"
has dates and times typed as text), blank rows and a totals row. `visit-export.csv` is
Week 47 as another system would export it. Nothing in them was changed for plangen:
`plangen.toml` maps the few headers plangen does not know by itself.

```bash
plangen map input/examples/their-layout/visit-log.xlsx
plangen build input/examples/their-layout/visit-log.xlsx --as-of 2026-11-20
plangen build input/examples/their-layout/visit-export.csv --as-of 2026-11-20
```

Written by `tools/make_examples.py`; invented people only.
"""


def main() -> None:
    EXAMPLE.mkdir(parents=True, exist_ok=True)
    write_their_workbook(EXAMPLE / "visit-log.xlsx", families=FAMILIES)
    write_their_csv(EXAMPLE / "visit-export.csv", families=FAMILIES)
    write_their_toml(EXAMPLE)
    (EXAMPLE / "README.md").write_text(README, encoding="utf-8")
    print(f"Wrote {EXAMPLE.relative_to(REPO)}/: visit-log.xlsx, visit-export.csv, plangen.toml, README.md")


if __name__ == "__main__":
    main()
