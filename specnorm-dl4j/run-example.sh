#!/bin/sh
# Trains the two-spirals MLP with each DL4J adapter and without one; prints accuracy and step times.
# Usage: specnorm-dl4j/run-example.sh [steps]   (from the repository root or anywhere)
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o -pl specnorm-dl4j -am test-compile dependency:build-classpath -Dquick \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/example.classpath
exec java -cp "specnorm-dl4j/target/test-classes:specnorm-dl4j/target/classes:$(cat specnorm-dl4j/target/example.classpath)" \
  dev.specnorm.dl4j.example.TwoSpiralsTraining "$@"
