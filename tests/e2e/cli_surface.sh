# The command line: help on stdout with exit 0, misuse on stderr with exit 2.
source "$(dirname "$0")/lib.bash"

expect_exit 0 "$PDLAB" --help
expect_in out "usage: pdlab COMMAND"
[ ! -s err ] || fail "--help wrote to stderr"
for cmd in list show run dataset bench; do
  expect_exit 0 "$PDLAB" "$cmd" --help
  expect_in out "usage: pdlab $cmd"
  [ ! -s err ] || fail "$cmd --help wrote to stderr"
done
expect_exit 0 "$PDLAB" run --help
expect_in out "--sizes N,N,..."
expect_in out "--timeout SECONDS"

expect_exit 2 "$PDLAB" frobnicate
expect_in err "unknown command 'frobnicate'"
expect_exit 2 "$PDLAB" run --bogus
expect_in err "unknown option '--bogus'"
expect_exit 2 "$PDLAB" run --sizes 10,abc
expect_in err "--sizes wants row counts"
expect_exit 2 "$PDLAB" run --timeout
expect_in err "needs a value"
expect_exit 2 "$PDLAB" show
expect_in err "give exactly one LESSON"

expect_exit 0 "$PDLAB" list
for id in vectorize chained_indexing broadcasting; do expect_in out "$id"; done
[ ! -s err ] || fail "list wrote to stderr"

expect_exit 0 "$PDLAB" show chained_indexing
expect_in out "A strong answer"
expect_in out "Trivia tax: partial"
expect_in out "[reference]"

expect_exit 1 "$PDLAB" run no_such_lesson
expect_in err "unknown lesson 'no_such_lesson'"
expect_in err "pdlab list"
echo "cli surface: ok"
