#!/bin/sh
# Trains the two-spirals MLP with the DJL adapters and without one; prints accuracy and step times.
# Usage: specnorm-djl/run-example.sh [steps]   (from the repository root or anywhere)
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o -pl specnorm-djl -am test-compile dependency:build-classpath -Dquick \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/example.classpath
exec java -Dai.djl.offline=true -cp "specnorm-djl/target/test-classes:specnorm-djl/target/classes:$(cat specnorm-djl/target/example.classpath)" \
  dev.specnorm.djl.example.TwoSpiralsTraining "$@"
