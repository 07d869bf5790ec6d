"""``payout-server``: the province server's command line (filled in by the server issue)."""

from __future__ import annotations

import sys
from typing import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    print("payout-server: máy chủ tỉnh chưa có trong phiên bản này / the province server is not in this release yet",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
