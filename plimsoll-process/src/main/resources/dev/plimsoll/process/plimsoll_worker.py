#!/usr/bin/env python3
"""Reference worker for Plimsoll's persistent worker protocol (plimsoll-process).

Protocol (one JSON object per line, UTF-8, "\\n" terminated):
  Plimsoll -> worker, on stdin:   {"id": 7, "payload": <any JSON value>}
  worker -> Plimsoll, on stdout:  {"id": 7, "ok": true, "result": <any JSON value>}
                              or  {"id": 7, "ok": false, "error": "message"}
Rules:
  * Answer each request exactly once, in order, with the same id, before reading the next one.
  * stdout carries protocol lines only; log to stderr (Plimsoll keeps its last 4 KiB for crash
    reports). This module redirects print() to stderr while serving.
  * Exit when stdin reaches end of file: that is how Plimsoll retires a worker gracefully.
    SIGTERM follows after the grace period, then SIGKILL.
  * A handler exception is a task error ({"ok": false}); the worker keeps serving.

Use it as a library:
    import plimsoll_worker
    def handle(payload):
        return {"sum": sum(payload["numbers"])}
    plimsoll_worker.serve(handle)
or run it directly for an echo worker:  python3 plimsoll_worker.py
"""
import json
import sys


def serve(handle, stdin=None, stdout=None):
    """Reads requests from stdin until end of file and answers each with handle(payload)."""
    requests = stdin if stdin is not None else sys.stdin.buffer
    answers = stdout if stdout is not None else sys.stdout.buffer
    sys.stdout = sys.stderr  # stray print() calls must not corrupt the protocol
    for raw in requests:
        line = raw.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            task_id = request["id"]
        except (ValueError, KeyError, TypeError) as e:
            print("plimsoll_worker: bad request line: %s" % e, file=sys.stderr)
            sys.exit(2)
        try:
            answer = {"id": task_id, "ok": True, "result": handle(request.get("payload"))}
        except Exception as e:  # a task error, not a worker crash
            answer = {"id": task_id, "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        answers.write(json.dumps(answer, separators=(",", ":")).encode("utf-8") + b"\n")
        answers.flush()


def echo(payload):
    return payload


if __name__ == "__main__":
    serve(echo)
