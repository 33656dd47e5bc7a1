# Copied from the project's shared tools/examples/feedcheck.py (tried offline 2026-11-27); run by
# crates/dateline-web/tests/discovery.rs through dateline_testkit::checkers.
import sys, feedparser
rc = 0
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    print(f"{path}: version={d.version!r} bozo={d.bozo} entries={len(d.entries)}"
          + (f" exception={type(d.bozo_exception).__name__}: {d.bozo_exception}" if d.bozo else ""))
    if d.entries:
        e = d.entries[0]
        print(f"   first entry: title={e.get('title')!r} published_parsed={e.get('published_parsed') or e.get('updated_parsed')}")
    rc |= int(bool(d.bozo))
sys.exit(rc)
