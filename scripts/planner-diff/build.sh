#!/bin/sh
# Differential test of engine/planner*.c against Fluxion's libplanner (dev tool).
# Needs Fluxion built in /tmp/fluxion-build (../shared/fluxion/build.sh).
# Usage: ./build.sh && ./run.sh single 1 500 && ./run.sh big 1 300 && ./run.sh multi 1 500
# PLANNER_SMALL_MAX=k in the environment sets our planners' small-form limit
# (0: always the tree; 1000000: never the tree) to check both forms.
set -e
F=${FLUXION_SRC:-/tmp/fluxion-build/sched}
S=${SCHEDSIM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
g++ -std=c++17 -O1 -w -I$F -I$F/build -I$F/resource/planner/c flux_drv.cpp \
    $F/build/resource/planner/c/libplanner.a $F/build/resource/planner/c++/libplanner_cxx.a -o flux_drv
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -w \
    -I$S/engine our_drv.c $S/engine/planner_tree.c $S/engine/planner_points.c $S/engine/planner_multi.c $S/engine/eng_error.c -o our_drv
