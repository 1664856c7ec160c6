"""A child process for leakwatch tests: leak_child.py MODE RATE [marker].

alloc: retains RATE MB/s (in 16 KB strings); fds: opens RATE files/s; flat: allocates and frees
bursts of up to RATE MB, never holding more. Paced by the monotonic clock, so the rate holds
whatever the machine's load. Runs until killed.
"""
import random
import sys
import time

mode = sys.argv[1]
rate = float(sys.argv[2])
step = 0.05
held = []
done = 0
rng = random.Random(42)
start = time.monotonic()
while True:
    if mode == "flat":
        held.clear()
        for _ in range(1 + rng.randrange(max(1, int(rate)))):
            held.append(b"x" * (1024 * 1024))
        done += 1
        if done == 20:
            print("ready", flush=True)  # one second of bursts: started and warm
    elif mode == "alloc":
        due = int((time.monotonic() - start) * rate * 64)  # 16 KB units
        while done < due:
            held.append(b"x" * (16 * 1024))
            done += 1
    elif mode == "fds":
        due = int((time.monotonic() - start) * rate)
        while done < due:
            held.append(open("/dev/null"))
            done += 1
    else:
        raise SystemExit("mode " + mode)
    time.sleep(step)
