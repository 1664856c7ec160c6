"""A child process for leakwatch tests: leak_child.py MODE RATE [marker].

alloc: retains RATE MB/s; fds: opens RATE files/s; flat: allocates and frees bursts of up to
RATE MB, never holding more. Runs until killed.
"""
import random
import sys
import time

mode = sys.argv[1]
rate = float(sys.argv[2])
step = 0.05
held = []
owed = 0.0
rng = random.Random(42)
while True:
    owed += rate * step
    if mode == "flat":
        held.clear()
        for _ in range(1 + rng.randrange(max(1, int(rate)))):
            held.append(b"x" * (1024 * 1024))
        owed = 0
    while owed >= 1 / 64:
        if mode == "alloc":
            held.append(b"x" * (16 * 1024))
        elif mode == "fds":
            if owed >= 1:
                held.append(open("/dev/null"))
            else:
                break
        else:
            raise SystemExit("mode " + mode)
        owed -= 1 / 64 if mode == "alloc" else 1
    time.sleep(step)
