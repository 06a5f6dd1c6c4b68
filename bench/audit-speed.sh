#!/usr/bin/env bash
# The audit trail's two speed figures (issue 4), measured in-process by
# keel-governance/src/test/java/dev/keel/governance/audit/AuditSpeed.java:
#
#   bench/audit-speed.sh verify 1000000          # append 1,000,000 events, time one full replay
#   bench/audit-speed.sh batch 5                 # log-batch throughput, auditing off vs on (medians of 5 rounds)
#   KEEL_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres bench/audit-speed.sh batch 5 --postgres
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=target-bench
./mvnw -q -B -Dkeel.target="$target" -DskipTests -pl keel-governance -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/keel-governance/$target/classpath.txt" -Dmdep.includeScope=test >&2
classpath="keel-governance/$target/test-classes:keel-governance/$target/classes:$(cat keel-governance/$target/classpath.txt)"
for module in core store tracking registry; do
    classpath="$classpath:keel-$module/$target/classes:keel-$module/$target/test-classes"
done
exec java -cp "$classpath" dev.keel.governance.audit.AuditSpeed "$@"
