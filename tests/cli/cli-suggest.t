# Unknown commands and options get ONE line on stderr, exit 2, with the
# closest known name when there is one within two edits ("did you mean").
expect() { # want, then the arguments
    want=$1; shift
    set +e
    "$EDGESIM" "$@" >out 2>err; rc=$?
    set -e
    [ $rc -eq 2 ] || { echo "$*: exit $rc"; exit 1; }
    [ ! -s out ] || { echo "$*: wrote to stdout"; exit 1; }
    [ "$(cat err)" = "$want" ] || { echo "$*:"; echo " want: $want"; echo " got:  $(cat err)"; exit 1; }
}
expect "edgesim: unknown command 'rnu' (did you mean 'run'?)" rnu x.json
expect "edgesim: unknown command 'valdiate' (did you mean 'validate'?)" valdiate x.json
expect "edgesim: unknown command 'swep' (did you mean 'sweep'?)" swep
expect "edgesim: unknown command 'frobnicate' (see 'edgesim --help')" frobnicate
expect "edgesim: unknown option '--verison' (did you mean '--version'?)" --verison
expect "edgesim run: unknown option '--sed' (did you mean '--seed'?)" run x.json --sed 3
expect "edgesim run: unknown option '--no-plot' (did you mean '--no-plots'?)" run x.json --no-plot
expect "edgesim run: unknown option '--trace-node' (did you mean '--trace-nodes'?)" run x.json --trace-node=a
expect "edgesim run: unknown option '--bogus' (see 'edgesim run --help')" run x.json --bogus
expect "edgesim run: unknown option '-x' (see 'edgesim run --help')" run x.json -x
expect "edgesim validate: unknown option '--jsn' (did you mean '--json'?)" validate x.json --jsn
expect "edgesim sweep: unknown option '--job' (did you mean '--jobs'?)" sweep x.json --job 2
expect "edgesim compare: unknown option '--metirc' (did you mean '--metric'?)" compare a b --metirc latency_p99
expect "edgesim plot: unknown option '--fromat' (did you mean '--format'?)" plot d --fromat svg
expect "edgesim checksum: unknown option '--algo' (see 'edgesim checksum --help')" checksum --algo md5 f
expect "edgesim checksum: unknown option '--canonicl' (did you mean '--canonical'?)" checksum --canonicl f
expect "edgesim bench: unknown benchmark 'phodl' (did you mean 'phold'?)" bench phodl
expect "edgesim bench phold: unknown option '--lp' (did you mean '--lps'?)" bench phold --lp 4
