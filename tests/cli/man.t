# The man page docs/edgesim.1 is generated from the help texts (make man);
# it must be in step with them: regenerating it gives the committed bytes.
root=$(cd "$T/../.." && pwd)
sh "$root/scripts/gen-man.sh" "$EDGESIM" > fresh.1
diff -u "$root/docs/edgesim.1" fresh.1 || { echo "docs/edgesim.1 is out of step with --help: run 'make man'"; exit 1; }
# every command has a section, with the same text as its --help
for c in $("$EDGESIM" help --commands); do
    grep -q "^\.SS \"edgesim .*$c\"$" fresh.1 || { echo "no section for $c"; exit 1; }
done
# and it renders: man reads it from the tree, with no troff warnings
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man --warnings -l "$root/docs/edgesim.1" >page 2>warn
    [ ! -s warn ] || { cat warn; exit 1; }
    grep -q '^   edgesim run$' page
    grep -q -- '--trace-max-events N' page
fi
