"""The raw baseline of ``bench_list_bounds.py``: the csv module over every record of a file, nothing checked or kept."""

import csv
import sys

with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    print(sum(1 for _ in csv.reader(handle)), "records")
