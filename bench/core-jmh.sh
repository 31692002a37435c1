#!/usr/bin/env bash
# Runs the core's JMH benchmark and writes benchmarks/core-jmh.md (and the raw JSON beside it),
# then appends the crypto and validation rows timed in CPU time (CpuTime).
# JAVA chooses the JVM; extra arguments go to JMH, e.g. `bench/core-jmh.sh -f 1 -wi 2 -i 3 'preconfirm.*'`.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl reactive-core -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="reactive-core/target/test-classes:reactive-core/target/classes:$(cat reactive-core/target/test-classpath.txt)"
mkdir -p benchmarks
java=${JAVA:-java} # e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java to time another JDK
json=benchmarks/core-jmh.json
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$java" -cp "$cp" org.openjdk.jmh.Main 'CoreBenchmark|MlDsaExpansionBenchmark' -rf json -rff "$json" "$@"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
"$java" -cp "$cp" io.preconf.core.bench.BenchReport "$json" benchmarks/core-jmh.md "bench/core-jmh.sh $*" \
  "load average before: $load_before; after: $load_after (2 cores; the benchmark thread itself accounts for about 1)"
# The same operations in CPU time, which other processes on the machine do not inflate.
"$java" -cp "$cp" io.preconf.core.bench.CpuTime benchmarks/core-jmh.md
echo "wrote benchmarks/core-jmh.md"
