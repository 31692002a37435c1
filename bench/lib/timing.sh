# Sourced by bench/e2e.sh: where a scenario's slow requests lie in time, and what the stores' fsyncs
# did then (E2E_TIMES).

# The wall clock, in unix nanoseconds, of the moment perf's clock read MARK_NS: an fdatasync made by
# a `dd` of its own between two readings of the wall clock is found in the recording by its
# command name, and the recording's times move by the difference (to about a millisecond).
#   fsync_mark FILE (a scratch file the dd writes)
fsync_mark() {
  local before after
  before=$(date +%s%N)
  dd if=/dev/zero of="$1" bs=1 count=1 conv=fdatasync status=none
  after=$(date +%s%N)
  echo $(( (before + after) / 2 ))
}

# Every fsync and fdatasync of a perf recording, read as `perf script -F comm,tid,time,event` prints
# it on stdin, one a line in the order they ended: the unix millisecond it began, the command, how
# long it took in ms. The first one a `dd` made is fsync_mark's: it ties perf's clock to MARK_NS,
# and is left out.
#   fsync_durations MARK_NS
fsync_durations() {
  awk -v mark="$1" '
    {
      # A thread name may hold spaces: the time is the field that reads as one, the thread id the
      # field before it, the event the field after it.
      for (f = 2; f < NF && $f !~ /^[0-9]+\.[0-9]+:$/; f++) {}
      t = $f; sub(":", "", t); ev = $(f + 1); tid = $(f - 1)
      comm = $1; for (g = 2; g < f - 1; g++) comm = comm " " $g
      if (ev ~ /sys_enter/) { start[tid] = t; next }
      if (!(tid in start)) next
      took = (t - start[tid]) * 1000; begun = start[tid]; delete start[tid]
      if (comm == "dd" && !markAt) { markAt = begun; next }
      n++; at[n] = begun; who[n] = comm; len[n] = took
    }
    END {
      if (!markAt) exit
      for (i = 1; i <= n; i++)
        printf "%.3f\t%s\t%.3f\n", mark / 1e6 + (at[i] - markAt) * 1000, who[i], len[i]
    }'
}

# Latency by 100 ms of a scenario (by when each request was due), from loadgen's times file:
# whether its slowest 1 % come from a few stalls or are spread over the run, and, with fsyncs'
# file, the slowest fsync Redis and PostgreSQL began in each window and the one before it.
times_summary() { # TIMES_TSV [FSYNC_TSV]
  local n cut t0
  n=$(wc -l <"$1")
  if [ "$n" -eq 0 ]; then echo "no answered requests"; return; fi
  # The p99: the latency of the (n * 0.99)th fastest, as the lines sorted by latency give it.
  cut=$(awk -F'\t' '{ printf "%.3f\n", $3 - $2 }' "$1" | sort -n |
    awk -v k=$(( n * 99 / 100 > 0 ? n * 99 / 100 : 1 )) 'NR == k { print }')
  # The first due instant: the windows count from it (the file is in answer order).
  t0=$(awk -F'\t' 'NR == 1 || $2 < t0 { t0 = $2 } END { print t0 }' "$1")
  local fsync_file=${2:-/dev/null}
  [ -s "$fsync_file" ] || fsync_file=/dev/null
  awk -F'\t' -v n="$n" -v cut="$cut" -v t0="$t0" \
    -v fsynced="$([ "$fsync_file" = /dev/null ] && echo 0 || echo 1)" '
    FILENAME != "-" {
      if ($1 < t0 - 100) next
      w = int(($1 - t0) / 100)
      if ($2 == "redis-server" && $3 > redis[w]) redis[w] = $3
      if ($2 == "postgres" && $3 > pg[w]) pg[w] = $3
      if ($2 == "redis-server" || $2 == "postgres") { all++; if ($3 >= 10) over10++ }
      next
    }
    {
      lat = $3 - $2; w = int(($2 - t0) / 100); cnt[w]++
      if (lat > mx[w]) mx[w] = lat
      if (lat >= cut) { if (!slow[w]) windows++; slow[w]++; slowAll++ }
      if (w > last) last = w
    }
    function worst(a, w) { return a[w] > a[w - 1] ? a[w] : a[w - 1] }
    END {
      printf "%d answered; p99 %.2f ms; the %d at or above it fall in %d of %d windows of 100 ms\n", n, cut, slowAll, windows, last + 1
      if (fsynced) printf "%d fsyncs by Redis and PostgreSQL over the scenario, %d of them 10 ms or longer\n", all, over10
      print ""
      if (fsynced) {
        print "| window (s from the first due) | requests | slowest 1 % in it | max ms | slowest Redis fsync begun in it or the window before, ms | slowest PostgreSQL fsync, ms |"
        print "|---:|---:|---:|---:|---:|---:|"
      } else {
        print "| window (s from the first due) | requests | slowest 1 % in it | max ms |"
        print "|---:|---:|---:|---:|"
      }
      for (w = 0; w <= last; w++) {
        if (!slow[w]) continue
        if (fsynced) printf "| %.1f | %d | %d | %.2f | %.1f | %.1f |\n", w / 10, cnt[w], slow[w], mx[w], worst(redis, w), worst(pg, w)
        else printf "| %.1f | %d | %d | %.2f |\n", w / 10, cnt[w], slow[w], mx[w]
      }
    }' "$fsync_file" - <"$1"
}
