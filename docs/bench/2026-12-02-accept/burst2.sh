#!/bin/bash
# burst2.sh DIR... : burst.sh's scenario for the Porter built in each worktree, in turn
for w in "$@"; do WT=$w $(dirname $0)/burst.sh "-Dcheckout=$w"; done
