"""Test worker for WorkerPoolTest, built on the shipped reference worker (plimsoll_worker.py)."""
import os
import sys
import time

import plimsoll_worker

kept = []  # memory a task asked to keep after it answers
STARTED = time.time()


def handle(payload):
    op = payload["op"]
    if op == "echo":
        return payload.get("value")
    if op == "pid":
        return os.getpid()
    if op == "started":
        return STARTED
    if op == "fail":
        raise ValueError(payload["message"])
    if op == "crash":
        print("about to crash at %.3f" % time.time(), file=sys.stderr, flush=True)
        os._exit(payload.get("code", 3))
    if op == "sleep":
        time.sleep(payload["seconds"])
        return "slept"
    if op == "print":  # stray print() must not break the protocol
        print("noise on stdout")
        return "printed"
    if op == "garbage":
        sys.__stdout__.write("this is not json\n")
        sys.__stdout__.flush()
        time.sleep(30)
        return "unreachable"
    if op == "allocate":
        # Touch every page so it counts as resident; grow in steps so a monitor can see it.
        held = []
        for _ in range(payload["mb"] // 8):
            held.append(bytearray(b"x" * (8 * 1024 * 1024)))
            time.sleep(payload.get("pause", 0.005))
        if payload.get("keep"):
            kept.extend(held)
        time.sleep(payload.get("hold", 0))
        return os.getpid()
    raise KeyError("unknown op " + op)


plimsoll_worker.serve(handle)
