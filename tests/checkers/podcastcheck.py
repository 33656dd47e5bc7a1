# Reads a podcast feed with two independent parsers, as podcast apps would: feedparser (must
# not flag it as malformed) and gPodder's podcastparser (must read every episode with its
# enclosure). Prints what podcastparser read as one JSON line for the test to check.
# Run by crates/dateline-web/tests/web/podcasts.rs through dateline_testkit::checkers.
import json, sys, feedparser, podcastparser
rc = 0
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    if d.bozo:
        print(f"{path}: feedparser: not well-formed: {d.bozo_exception}")
        rc = 1
    with open(path, "rb") as f:
        parsed = podcastparser.parse("https://paper.example/feed.xml", f)
    episodes = [
        {
            "title": e.get("title"),
            "guid": e.get("guid"),
            "total_time": e.get("total_time"),
            "published": e.get("published"),
            "link": e.get("link"),
            "enclosures": [
                {"url": x.get("url"), "file_size": x.get("file_size"), "mime_type": x.get("mime_type")}
                for x in e.get("enclosures", [])
            ],
            "chapters": e.get("chapters", []),
            "transcript_url": e.get("transcript_url"),
        }
        for e in parsed.get("episodes", [])
    ]
    print(json.dumps({
        "title": parsed.get("title"),
        "cover_url": parsed.get("cover_url"),
        "feedparser_entries": len(d.entries),
        "itunes_explicit": d.feed.get("itunes_explicit"),
        "episodes": episodes,
    }))
sys.exit(rc)
