#!/usr/bin/env bash
# Train the recipes of benchmarks/README.md and print their best accuracies and times.
#
#   bash benchmarks/recipes.sh            # chapter 1, chapter 3 and the best recipe
#   bash benchmarks/recipes.sh best       # only some of them:
#                                         #   ch1 ch3 ch3-long best800 best fashion
#   SEED=2 bash benchmarks/recipes.sh best
#
# Histories go to runs/<name>.json (runs/ is ignored by git). On a machine shared with
# other work, one BLAS thread is often faster than several: OPENBLAS_NUM_THREADS=1 is the
# default here; set it to another value to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
python="${PYTHON:-.venv/bin/python}"
mkdir -p runs

declare -A RECIPE=(
  [ch1]="--sizes 784,30,10 --epochs 30 --batch-size 10 --eta 3.0 --cost quadratic
         --activation sigmoid"
  [ch3]="--sizes 784,100,10 --epochs 30 --batch-size 10 --eta 0.5 --cost cross_entropy
         --lmbda 5.0 --init scaled_normal"
  [ch3-long]="--sizes 784,100,10 --epochs 90 --batch-size 10 --eta 0.5 --cost cross_entropy
         --lmbda 5.0 --init scaled_normal --schedule step --step-size 30 --gamma 0.2"
  [best800]="--sizes 784,800,10 --activation relu --init he --cost log_likelihood
         --optimizer momentum --eta 0.05 --momentum 0.9 --batch-size 100 --dropout 0.3
         --augment shift --schedule exponential --gamma 0.9 --epochs 30"
  [best]="--sizes 784,1200,10 --activation relu --init he --cost log_likelihood
         --optimizer momentum --eta 0.05 --momentum 0.9 --batch-size 100 --dropout 0.4
         --augment shift --schedule exponential --gamma 0.94 --epochs 50"
  [fashion]="--dataset fashion-mnist --sizes 784,100,10 --activation relu --init he
         --cost log_likelihood --optimizer momentum --eta 0.01 --momentum 0.9 --batch-size 20
         --lmbda 5.0 --schedule exponential --gamma 0.9 --epochs 30"
)

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(ch1 ch3 best)
for name in "${names[@]}"; do
  if [ -z "${RECIPE[$name]:-}" ]; then
    echo "unknown recipe $name (known: ${!RECIPE[*]})" >&2
    exit 2
  fi
  # shellcheck disable=SC2086,SC2116
  echo "== $name: mlp train $(echo ${RECIPE[$name]}) --seed ${SEED:-1}"
  before=$(cut -d' ' -f1 /proc/loadavg)
  # CPU time too: on a shared machine the wall time says more about the others' work.
  TIMEFORMAT="   wall time %0R s, CPU time %0U s user + %0S s system"
  # shellcheck disable=SC2086
  time "$python" -m mlp train ${RECIPE[$name]} --seed "${SEED:-1}" --quiet --json "runs/$name.json"
  echo "   load average $before before, $(cut -d' ' -f1 /proc/loadavg) after"
done
