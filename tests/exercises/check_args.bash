# What the e2e tests pass to `pdlab check` per exercise: small sizes and,
# where those sizes cannot reach the lesson's own factor, a target; and
# short samples. Sourced by exercise_catalogue.sh and exercise_matrix.sh.
# shellcheck disable=SC2034
QUICK_CHECK=(--quiet --mem-limit 2048 --samples 3 --min-sample 0.002)
# shellcheck disable=SC2034
declare -A ARGS=(
  [chained_indexing]="--sizes 1000,10000 --target 20x"
  [membership]="--sizes 1000,3000 --target 5x"
  [groupby]="--sizes 10000,30000 --target 5x"
  [chunked_csv]="--sizes 100000,300000 --target 2x"
  [sliding_window]="--sizes 100"
  [topo_sort]="--sizes 1000,3000"
  [lru_cache]="--sizes 256,1024"
)
