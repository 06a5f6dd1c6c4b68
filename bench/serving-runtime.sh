#!/usr/bin/env bash
# Keel's in-process predict path (validation + Keel tensors + ONNX Runtime + output conversion)
# against a bare ONNX Runtime session.run on the same input, 1 and 100 rows (issue 5: at most
# 1.5x). JMH, from keel-serving/src/test/java/dev/keel/serving/runtime/PredictBenchmark.java, in
# alternating runs (floor, Keel, Keel, floor, ...) so load from other work hits both alike:
#
#   bench/serving-runtime.sh          # 5 rounds per row count; prints each round and the medians
#   bench/serving-runtime.sh 9        # 9 rounds
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target="${KEEL_BENCH_TARGET:-target-bench}"
./mvnw -q -B -Dkeel.target="$target" -DskipTests -pl keel-serving -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/keel-serving/$target/classpath.txt" -Dmdep.includeScope=test >&2
classpath="keel-serving/$target/test-classes:keel-serving/$target/classes:$(cat keel-serving/$target/classpath.txt)"
for module in core store tracking registry; do
    classpath="$classpath:keel-$module/$target/classes:keel-$module/$target/test-classes"
done
exec java -cp "$classpath" dev.keel.serving.runtime.PredictBenchmark "$@"
