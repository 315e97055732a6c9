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


def folded_waits(args):
    """The folded stacks of the waits for `m` (the program's last line of
    output and exit code checked against a plain run: the first lines say
    where its frames fell, which the environment moves)."""
    env.clean_traces()
    plain = env.run(args, preload=False)
    run = env.run(args)
    env.check_eq((run.returncode, run.stdout.splitlines()[-1:]), (plain.returncode, plain.stdout.splitlines()[-1:]),
                 f"{' '.join(args)}: exit code and output")
    folded = subprocess.run([env.report, "-f", "folded", "--weight", "contended", *env.traces()],
                            capture_output=True, text=True, timeout=60).stdout
    return {line.rsplit(" ", 1)[0]: int(line.rsplit(" ", 1)[1]) for line in folded.splitlines()
            if "[mutex m]" in line}


def check_chains(args, chains):
    """5 waits through each chain (a pattern for the stack's end)."""
    got = folded_waits(args)
    for chain in chains:
        env.check(any(re.search(chain + r";\[mutex m\]$", k) and v == 5 for k, v in got.items()),
                  f"{' '.join(args)}: 5 waits through {chain}: {got}")


# A third audit's cases. gcc realigns a frame with a large aligned local
# and a VLA through a saved CFA (DRAP) with rbp far below the CFA: rbp was
# not checked, only the word at its old place, which the other chain left
# alone (every wait got the first chain's stack). On a fiber that shrank,
# reading that word crashed. A stack-switch frame whose CFA rule reads
# memory (wasmtime's fibers) gave another fiber's chain, or crashed after
# an unmap; a walk that ended at a return address of 0 gave the shorter
# chain. Walks are now kept only on the thread's own stack.
check_chains([env.program("memo_drap")], [";run_chain;P1;R;W", ";run_chain;Q;R;W"])
run = env.run([env.program("memo_drap_fiber")])
env.check_eq((run.returncode, run.stdout.splitlines()[-2:]), (0, ["fiber A done", "fiber B done"]),
             "drap on a fiber that shrank: exit and output")
check_chains([env.program("memo_deref_cfa"), "stale"], [";f1;g1;on_stack;W", ";f2;on_stack;W"])
run = env.run([env.program("memo_deref_cfa"), "unmap"])
env.check_eq((run.returncode, run.stdout), (0, "fiber 1 done\nfiber 2 done\n"),
             "a CFA read from memory, its stack unmapped: exit and output")
check_chains([env.program("memo_walk_end"), "AB"], ["^E;W", "^T;E;W"])

# A fourth audit's cases, which crashed the version that kept walks only
# inside a range computed for the thread's stack but read, while learning,
# any word of that range: a frame pointer left 8 MiB below the main stack's
# start (also: a read that grew the stack by 7 MiB), fibers mapped within
# the main stack's limit, a thread stack whose lowest page is the program's
# guard, a stack given by its top only. Now only the live part is read.
def same_as_plain(args, what):
    plain = env.run(args, preload=False)
    run = env.run(args)
    env.check_eq((run.returncode, run.stdout.splitlines()[-1:]), (plain.returncode, plain.stdout.splitlines()[-1:]),
                 f"{what}: exit code and last line")
    return run


for arg in ([], ["1048576"]):
    run = same_as_plain([env.program("memo_rbp_limit"), *arg], f"rbp below the main stack {arg}")
    maps = re.findall(r"^maps.*? ([0-9a-f]+-[0-9a-f]+) ", run.stdout, re.M)
    env.check(len(maps) == 2 and maps[0] == maps[1], f"the main stack's mapping unchanged: {run.stdout}")
for prog in ("memo_main_range_fiber", "memo_main_range_fiber_fp"):
    for mode in ("stale", "unmap"):
        same_as_plain([env.program(prog), mode], f"{prog} {mode}")
same_as_plain([env.program("memo_thread_guard")], "a thread stack with its own guard page")
same_as_plain([env.program("memo_stackaddr_only")], "a thread stack given by its top")
env.finish()
