"""The stack memo with frames whose size varies (an alloca, a realigned
local): the same return addresses can then sit at the same places while the
chain of calls above differs, and stale words of the other chain stay in
the never-written space. memo_frames waits 12 times through two chains in
turn; each wait's stack must be its own chain's. A memo that checked only
the return addresses at their places gave every wait the first chain's
stack (alloca, and three of the four realign skews), and crashed on a
fiber's stack that shrank under a kept walk; one that checked only frame
pointers gave the register chain's waits the first chain's stack."""

import re
import subprocess

from contend_e2e import Env

env = Env()
prog = env.program("memo_frames")

for args in (["alloca"], ["realign", "0"], ["realign", "16"], ["realign", "32"], ["realign", "48"], ["register"]):
    name = " ".join(args)
    env.clean_traces()
    plain = env.run([prog, *args], preload=False)
    run = env.run([prog, *args])
    env.check_eq((run.returncode, run.stdout), (plain.returncode, plain.stdout), f"{name}: exit code and output")
    dump = subprocess.run([env.report, "--dump", *env.traces()], capture_output=True, text=True,
                          timeout=60).stdout
    stacks = re.findall(r" WAIT .* stack=(\d+)", dump)
    env.check_eq(len(stacks), 12, f"{name}: waits")
    if len(stacks) == 12:
        env.check(stacks[0] != stacks[1], f"{name}: the two chains' stacks differ")
        env.check_eq(stacks, [stacks[0], stacks[1]] * 6, f"{name}: each wait's stack")
    folded = subprocess.run([env.report, "-f", "folded", *env.traces()], capture_output=True, text=True,
                            timeout=60).stdout
    inner = {"alloca": "wait_sized", "realign": "wait_aligned",
             "register": "wait_through_pad;pad_call;wait_padded"}[args[0]]
    first = "first_a;" if args[0] == "realign" else "first_a;first_b;"
    for chain in (first + inner, "second;" + inner):
        env.check(re.search(rf";waits;{chain};\[mutex g_lock\] \d+$", folded, re.M) is not None,
                  f"{name}: {chain} in the folded stacks:\n{folded}")

# A kept walk whose stack shrank (a fiber's, unmapped in part): the second
# fiber waits from the same address as the first, whose callers were in the
# unmapped half. A memo reading the kept words directly crashed here.
env.clean_traces()
run = env.run([env.program("memo_fiber_shrink")])
env.check_eq((run.returncode, run.stdout), (0, "first fiber done\nsecond fiber done\n"), "fiber shrink: exit and output")
dump = subprocess.run([env.report, "--dump", *env.traces()], capture_output=True, text=True, timeout=60).stdout
env.check_eq(len(re.findall(r" WAIT .* kind=mutex ", dump)), 2, "fiber shrink: waits for the mutex")
env.finish()
