#!/bin/sh
# run.sh MODE FROM TO : differential runs, prints differing seeds
for s in $(seq $2 $3); do python3 gen.py $s $1 > in.$1.txt; ./flux_drv < in.$1.txt > f.$1.txt 2>/dev/null; ./our_drv < in.$1.txt > o.$1.txt; cmp -s f.$1.txt o.$1.txt || echo "$1 seed $s differs"; done
echo "$1 $2-$3 done"
