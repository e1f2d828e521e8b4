#!/usr/bin/env python3
"""Checks pressnet's audit chain offline, without trusting the server that served it.

Python 3.8+, standard library only. Either read the events from a running server:

    python3 verify_audit.py --url https://pressnet.example/graphql --token="$TOKEN"

or from a file saved earlier (a JSON list of events as `auditEvents` returns them, or the
`--save` output of a previous run):

    python3 verify_audit.py --file events.json

Each event's hash is recomputed from its fields exactly as the server computed it:

    hash = hex(SHA-256(prevHash + "\\n" + canonical))
    canonical = seq "\\n" at "\\n" actorId "\\n" action "\\n" entity "\\n" entityId "\\n" details

where `at` is RFC 3339 in UTC with exactly six fractional digits and `Z`
(2026-12-06T21:44:38.123456Z), a missing actorId or entityId is the empty string, `details`
is the text served (canonical JSON), and the first event's prevHash is "". The sequence must
run 1, 2, 3, ... with no gap. `--checkpoint cp.json` (an `auditCheckpoint` answer you kept)
also checks that the chain still holds that event with that hash.

Exit status: 0 when the chain holds, 1 when it does not (the first bad event is named), 2 on
a usage or network error.
"""
import argparse
import hashlib
import json
import re
import sys
import urllib.request
from datetime import datetime, timezone, timedelta

FIELDS = "seq at actorId action entity entityId details prevHash hash"
QUERY = "query($after:String){ auditEvents(first: 100, after: $after) { %s } }" % FIELDS
TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def utc_micros(text):
    """An RFC 3339 time as the server hashed it: UTC, six fractional digits, 'Z'."""
    m = TIME.match(text)
    if not m:
        raise ValueError("not an RFC 3339 time: %r" % text)
    whole, frac, zone = m.group(1), (m.group(2) or ""), m.group(3)
    micros = int((frac + "000000")[:6])
    t = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(microsecond=micros)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        t = (t - sign * offset)
    t = t.replace(tzinfo=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % t.microsecond


def canonical(e):
    return "\n".join([
        str(e["seq"]),
        utc_micros(e["at"]),
        e.get("actorId") or "",
        e["action"],
        e["entity"],
        e.get("entityId") or "",
        e["details"] if e.get("details") is not None else "",
    ])


def event_hash(prev, e):
    return hashlib.sha256((prev + "\n" + canonical(e)).encode("utf-8")).hexdigest()


def fetch(url, token):
    events, after = [], None
    while True:
        body = json.dumps({"query": QUERY, "variables": {"after": after}}).encode("utf-8")
        req = urllib.request.Request(url, data=body, headers={
            "content-type": "application/json",
            "accept": "application/json",
            "authorization": "Bearer " + token,
        })
        with urllib.request.urlopen(req, timeout=60) as resp:
            answer = json.load(resp)
        if answer.get("errors"):
            raise RuntimeError(answer["errors"][0].get("message", "the server refused"))
        page = answer["data"]["auditEvents"]
        if not page:
            return events
        events.extend(page)
        after = str(page[-1]["seq"])


def verify(events):
    """(ok, events checked, first bad seq or None, why)."""
    prev, expected = "", 1
    for n, e in enumerate(events, 1):
        if e["seq"] != expected:
            return False, n, expected, "event %d is missing" % expected
        if e.get("prevHash") is not None and e["prevHash"] != prev:
            return False, n, e["seq"], "its prevHash is not the previous event's hash"
        if event_hash(prev, e) != e["hash"]:
            return False, n, e["seq"], "its hash does not match its fields"
        prev, expected = e["hash"], expected + 1
    return True, len(events), None, ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--url", help="the server's GraphQL endpoint")
    src.add_argument("--file", help="a JSON list of events")
    p.add_argument("--token", help="an ADMIN or AUDITOR token (with --url)")
    p.add_argument("--save", help="also write the events read to this file")
    p.add_argument("--checkpoint", help="a kept auditCheckpoint answer (JSON)")
    a = p.parse_args()
    try:
        if a.url:
            if not a.token:
                p.error("--url needs --token")
            events = fetch(a.url, a.token)
        else:
            with open(a.file, encoding="utf-8") as f:
                events = json.load(f)
            if isinstance(events, dict):
                events = events.get("data", {}).get("auditEvents", events.get("events", []))
        if a.save:
            with open(a.save, "w", encoding="utf-8") as f:
                json.dump(events, f, ensure_ascii=False, indent=1)
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    ok, checked, bad, why = verify(events)
    if not ok:
        print("BROKEN at seq %d (%s); %d events read" % (bad, why, checked))
        return 1
    if a.checkpoint:
        with open(a.checkpoint, encoding="utf-8") as f:
            cp = json.load(f)
        cp = cp.get("data", {}).get("auditCheckpoint", cp)
        held = [e for e in events if e["seq"] == cp["seq"]]
        if not held or held[0]["hash"] != cp["hash"]:
            print("BROKEN: the chain no longer holds checkpoint seq %d with its hash" % cp["seq"])
            return 1
    head = events[-1]["hash"] if events else ""
    print("ok: %d events, head %s" % (checked, head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
