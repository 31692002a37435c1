# Sourced by the benchmark scripts (bench/e2e.sh, bench/delivery.sh): the pieces every run shares.

# Builds the C generator into bench/target/loadgen (never committed) and runs its self-test (a
# server of its own with a known delay), which must pass before any figure of it is believed.
#   build_loadgen WORK_DIR
build_loadgen() {
  loadgen=bench/target/loadgen
  mkdir -p bench/target
  gcc -O2 -Wall -Wextra -o "$loadgen" bench/loadgen/loadgen.c
  "$loadgen" selftest >"$1/selftest.log" || {
    cat "$1/selftest.log"
    echo "bench: the generator's self-test failed" >&2
    exit 1
  }
}

# Waits (up to 10 min) for the 1-minute load average to drop below $1; nothing when $1 is empty.
wait_quiet() {
  [ -n "${1:-}" ] || return 0
  for _ in $(seq 1 60); do
    awk -v max="$1" '{ exit !($1 <= max) }' /proc/loadavg && return 0
    echo "bench: load $(cut -d' ' -f1-3 /proc/loadavg) is above $1; waiting"
    sleep 10
  done
}

# CPU seconds a process (children included) has used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# The machine and versions lines of a report's facts (key=value), PostgreSQL's binaries in $1.
machine_facts() {
  cat <<FACTS
machine=$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr)
java=$(java -version 2>&1 | head -2 | tr '\n' ' ')
gcc=$(gcc --version | head -1)
quarkus=$(grep -m1 '<quarkus.version>' pom.xml | sed 's/.*>\(.*\)<.*/\1/')
redis=$(redis-server --version | cut -d' ' -f3 | tr -d 'v=')
postgresql=$("$1/postgres" --version | cut -d' ' -f3)
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!benchmarks' || echo ' (with uncommitted changes)')
FACTS
}
