#!/usr/bin/env python3
"""A Plimsoll remote worker in Python, standard library only.

It claims jobs of the given types by long-poll, runs each with a handler, renews the lease
with heartbeats while the handler runs, and reports the outcome with the lease's token:

    python3 plimsoll_worker.py --url http://127.0.0.1:7280 --type text.reverse

Write your own handlers in HANDLERS (job type -> function(payload) -> result). A handler
that raises fails the attempt (retried while attempts are left); raising Fatal fails it for
good. Results and payloads are JSON values.

Protocol (see docs/server.md):
  POST /v1/workers/claim        {"workerId","types","max","waitMillis"} -> {"jobs":[lease...]}
  POST /v1/jobs/{id}/heartbeat  {"token"}              -> {"lease":"RENEWED"|"CANCEL_REQUESTED"}
  POST /v1/jobs/{id}/complete   {"token","result"}
  POST /v1/jobs/{id}/fail       {"token","error","retryable"}
  409 lease_lost on any of the three: the lease expired or was taken over; drop the job.
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request


class Fatal(Exception):
    """Raise from a handler to fail the job without further attempts."""


def reverse(payload):
    if isinstance(payload, dict) and payload.get("fail"):
        raise Fatal("asked to fail: " + str(payload.get("fail")))
    text = payload.get("text", "") if isinstance(payload, dict) else str(payload)
    return {"reversed": text[::-1]}


HANDLERS = {"text.reverse": reverse}


class Client:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def post(self, path, body, timeout):
        data = json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method="POST")
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, {"error": {"code": "http", "message": raw.decode("utf-8", "replace")}}


class Heartbeat(threading.Thread):
    """Renews one lease every `every` seconds until stopped; notes a cancel or a lost lease."""

    def __init__(self, client, job, every):
        super().__init__(daemon=True)
        self.client, self.job, self.every = client, job, every
        self.stopped = threading.Event()
        self.lost = False
        self.cancel = False

    def run(self):
        while not self.stopped.wait(self.every):
            status, body = self.client.post(
                "/v1/jobs/%s/heartbeat" % self.job["id"], {"token": self.job["token"]}, 10)
            if status == 409:
                self.lost = True
                return
            if status == 200 and body.get("lease") == "CANCEL_REQUESTED":
                self.cancel = True


def run_one(client, job, heartbeat_every, log):
    handler = HANDLERS[job["type"]]
    beat = Heartbeat(client, job, heartbeat_every)
    beat.start()
    try:
        result = handler(job.get("payload"))
        outcome = ("complete", {"token": job["token"], "result": result})
    except Fatal as e:
        outcome = ("fail", {"token": job["token"], "error": str(e), "retryable": False})
    except Exception as e:  # noqa: BLE001 - any handler error fails the attempt
        outcome = ("fail", {"token": job["token"], "error": "%s: %s" % (type(e).__name__, e)})
    finally:
        beat.stopped.set()
        beat.join()
    if beat.lost:
        log("lease lost on %s; dropping it" % job["id"])
        return
    status, body = client.post("/v1/jobs/%s/%s" % (job["id"], outcome[0]), outcome[1], 10)
    if status == 200:
        log("%s %s -> %s" % (job["type"], job["id"], body.get("status")))
    else:
        log("report for %s refused: %s" % (job["id"], body.get("error", body)))


def main(argv=None):
    p = argparse.ArgumentParser(description="Plimsoll remote worker (Python, stdlib only)")
    p.add_argument("--url", default=os.environ.get("PLIMSOLL_URL", "http://127.0.0.1:7280"))
    p.add_argument("--token", default=os.environ.get("PLIMSOLL_TOKEN"))
    p.add_argument("--type", action="append", dest="types", help="job type (repeatable)")
    p.add_argument("--max", type=int, default=4, help="jobs per claim (1-100)")
    p.add_argument("--wait-millis", type=int, default=20000, help="long-poll wait (<= 60000)")
    p.add_argument("--heartbeat-seconds", type=float, default=5.0)
    p.add_argument("--exit-after", type=int, default=0, help="stop after N jobs (0 = never)")
    args = p.parse_args(argv)
    types = args.types or sorted(HANDLERS)
    unknown = [t for t in types if t not in HANDLERS]
    if unknown:
        p.error("no handler for type(s) %s; known: %s" % (unknown, sorted(HANDLERS)))

    client = Client(args.url, args.token)
    worker_id = "py-%s-%d" % (socket.gethostname()[:60], os.getpid())

    def log(msg):
        print("plimsoll-worker: " + msg, flush=True)

    log("claiming %s from %s as %s" % (types, args.url, worker_id))
    done = 0
    backoff = 0.5
    while args.exit_after == 0 or done < args.exit_after:
        try:
            status, body = client.post(
                "/v1/workers/claim",
                {"workerId": worker_id, "types": types, "max": args.max,
                 "waitMillis": args.wait_millis},
                args.wait_millis / 1000.0 + 15)
        except OSError as e:
            log("cannot reach the server (%s); retrying in %.1fs" % (e, backoff))
            time.sleep(backoff)
            backoff = min(backoff * 2, 30)
            continue
        if status in (429, 503):
            time.sleep(backoff)
            backoff = min(backoff * 2, 30)
            continue
        if status != 200:
            log("claim refused: %s" % body.get("error", body))
            return 2
        backoff = 0.5
        for job in body["jobs"]:
            run_one(client, job, args.heartbeat_seconds, log)
            done += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
