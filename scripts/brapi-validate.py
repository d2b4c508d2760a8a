#!/usr/bin/env python3
"""Validates the live BrAPI v2.1 answers of a biobank server against the official schemas.

Starts the already-built server on a fresh SQLite database loaded with `biobank demo`, on a
free port, fetches every BrAPI endpoint the server offers (lists with and without paging,
one germplasm, its MCPD form, one seed lot and its transactions) and validates each answer
against the official response schema (JSON Schema draft 4) and the envelope's metadata schema.
Prints one line per answer and exits 1 when any answer is invalid.

    python3 scripts/brapi-validate.py --schemas ../shared/reference/brapi-v2.1-schemas
    python3 scripts/brapi-validate.py --schemas DIR --bin target/debug/biobank
    python3 scripts/brapi-validate.py --schemas DIR --url http://127.0.0.1:8000   # a running server

Needs the `jsonschema` package (pip install jsonschema).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import jsonschema
except ImportError:
    sys.exit("brapi-validate: the jsonschema package is missing (pip install jsonschema)")

# (path template, schema file); {g} is a germplasm id, {s} a seed-lot id.
ENDPOINTS = [
    ("/brapi/v2/serverinfo", "ServerInfo/getServerinfoResponse.json"),
    ("/brapi/v2/commoncropnames", "CommonCropNames/getCommoncropnamesResponse.json"),
    ("/brapi/v2/germplasm", "Germplasm/getGermplasmResponse.json"),
    ("/brapi/v2/germplasm?page=1&pageSize=2", "Germplasm/getGermplasmResponse.json"),
    ("/brapi/v2/germplasm?commonCropName=rice", "Germplasm/getGermplasmResponse.json"),
    ("/brapi/v2/germplasm/{g}", "Germplasm/getGermplasmGermplasmdbidResponse.json"),
    ("/brapi/v2/germplasm/{g}/mcpd", "Germplasm/getGermplasmGermplasmdbidMcpdResponse.json"),
    ("/brapi/v2/seedlots", "SeedLots/getSeedlotsResponse.json"),
    ("/brapi/v2/seedlots?germplasmDbId={g}", "SeedLots/getSeedlotsResponse.json"),
    ("/brapi/v2/seedlots/{s}", "SeedLots/getSeedlotsSeedlotdbidResponse.json"),
    ("/brapi/v2/seedlots/{s}/transactions", "SeedLots/getSeedlotsSeedlotdbidTransactionsResponse.json"),
    ("/brapi/v2/seedlots/transactions", "SeedLots/getSeedlotsTransactionsResponse.json"),
    ("/brapi/v2/seedlots/transactions?page=0&pageSize=3", "SeedLots/getSeedlotsTransactionsResponse.json"),
]


def fetch(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)


def validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft4Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary):
    work = tempfile.mkdtemp(prefix="biobank-brapi.")
    port = free_port()
    env = dict(os.environ,
               BIOBANK_DATABASE_URL=f"sqlite://{work}/brapi.db?mode=rwc",
               ROCKET_ADDRESS="127.0.0.1", ROCKET_PORT=str(port),
               BIOBANK_BASE_URL=f"http://127.0.0.1:{port}")
    subprocess.run([binary, "demo"], env=env, cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, cwd=work, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            fetch(base, "/health")
            return server, base, work
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    server.kill()
    sys.exit(f"brapi-validate: the server did not start; see {work}/server.log")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schemas", required=True, help="the brapi-v2.1-schemas directory")
    ap.add_argument("--bin", default="target/debug/biobank", help="the biobank binary")
    ap.add_argument("--url", help="validate a running server instead of starting one")
    args = ap.parse_args()

    metadata = validator(os.path.join(args.schemas, "metadata.json"))
    server, work = None, None
    if args.url:
        base = args.url.rstrip("/")
    else:
        binary = os.path.abspath(args.bin)
        if not os.access(binary, os.X_OK):
            sys.exit(f"brapi-validate: no server binary at {binary} (cargo build first, or --bin)")
        server, base, work = start_server(binary)
    failures = 0
    try:
        germplasm = fetch(base, "/brapi/v2/germplasm?pageSize=1")["result"]["data"]
        lots = fetch(base, "/brapi/v2/seedlots?pageSize=1")["result"]["data"]
        if not germplasm or not lots:
            sys.exit("brapi-validate: the server holds no germplasm or seed lots to check")
        ids = {"g": germplasm[0]["germplasmDbId"], "s": lots[0]["seedLotDbId"]}
        for template, schema_file in ENDPOINTS:
            path = template.format(**ids)
            body = fetch(base, path)
            errors = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                      for v in (validator(os.path.join(args.schemas, schema_file)), metadata)
                      for e in v.iter_errors(body)]
            data = body.get("result", {})
            count = len(data["data"]) if isinstance(data, dict) and "data" in data else 1
            if errors:
                failures += 1
                print(f"FAIL {path} ({schema_file})")
                for e in errors[:20]:
                    print(f"     {e}")
            else:
                print(f"ok   {path}: {count} object(s) valid against {schema_file}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
            shutil.rmtree(work, ignore_errors=True)
    print(f"{len(ENDPOINTS) - failures} of {len(ENDPOINTS)} BrAPI answers valid")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
