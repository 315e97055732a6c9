#!/bin/sh
# Runs two profiled programs one after the other (exec test): each must get
# its own trace with its own exact counts.
"$1" && "$1"
