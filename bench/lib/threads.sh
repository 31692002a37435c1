#!/usr/bin/env bash
# A process's CPU by thread, read from /proc, and one scenario's share of it by kind of thread.
# Sourced by bench/e2e.sh.

# The CPU of every thread of process PID so far, in clock ticks (user and system), one
# "tid kind ticks" a line, a thread's kind its name without digits and with _ for spaces (as the
# context switches are grouped). The fields of a thread's stat after its name's closing parenthesis
# are fixed: utime and stime are the 12th and 13th. A thread that ends while it is read is left
# out.
threads_cpu() { # PID
  local t name
  for t in /proc/"$1"/task/*; do
    { name=$(tr -d '0-9' <"$t/comm" | tr ' ' _); } 2>/dev/null || continue
    { sed 's/.*) //' "$t/stat" | awk -v tid="${t##*/}" -v name="$name" '{ print tid, name, $12 + $13 }'; } \
      2>/dev/null || true
  done
}

# "NAME total (kind ms,kind ms); ": the CPU between two readings of threads_cpu, in ms per one of
# COUNT (the scenario's answered requests), in all and by kind of thread, every kind of 1 % of it or
# more, the largest first. Counted thread by thread: one that ended between the readings is not
# counted, one that started between them is counted from zero.
threads_cpu_entry() { # NAME COUNT BEFORE AFTER
  local tck kinds
  tck=$(getconf CLK_TCK)
  kinds=$(awk -v count="$2" -v tck="$tck" '
    NR == FNR { before[$1] = $3; next }
    { d[$2] += $3 - before[$1] }
    END { for (k in d) printf "%s %.6f\n", k, d[k] * 1000 / tck / count }' "$3" "$4")
  awk -v name="$1" '{ all += $2 } END { printf "%s %.3f (", name, all }' <<<"$kinds"
  awk '{ d[$1] = $2; all += $2 }
    END { for (k in d) if (d[k] > 0 && d[k] >= 0.01 * all) printf "%s %.3f\n", k, d[k] }' <<<"$kinds" |
    sort -k2 -rn | paste -sd, - | tr -d '\n'
  printf '); '
}
