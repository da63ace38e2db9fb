"""Reads a CSV report the way a spreadsheet would and prints its cells.

Python's csv module, with the delimiter the report uses, reads the file
(UTF-8 with a BOM, as socred writes it) and prints a JSON list of rows. The
batch end-to-end test checks every cell: no secret, no live formula.

    /usr/bin/python3 csv_cells.py FILE DELIMITER
"""

import csv
import json
import sys


def main():
    path, delimiter = sys.argv[1], sys.argv[2]
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
