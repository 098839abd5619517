# edgesim checksum: MD5 by default, SHA-256 on request, --canonical, stdin, --help.
printf '{"b": [1, 2.50, "x"],\n "a": null}\n' > doc.json
[ "$("$EDGESIM" checksum doc.json)" = f17749b1d489b32425841914fda7d094 ]
[ "$("$EDGESIM" checksum --algorithm md5 doc.json)" = f17749b1d489b32425841914fda7d094 ]
want=05147f4c034266888060ee06fae0abe784ce883eb3b125b981d3fd9d4db2c568
[ "$("$EDGESIM" checksum --algorithm sha256 doc.json)" = $want ]
[ "$("$EDGESIM" checksum --algorithm=SHA256 doc.json)" = $want ]
[ "$("$EDGESIM" checksum -a sha256 - < doc.json)" = $want ]
[ "$("$EDGESIM" checksum --canonical doc.json)" = '{"a": null, "b": [1, 2.5, "x"]}' ]
[ "$("$EDGESIM" checksum doc.json | wc -l)" -eq 1 ]
# the digest is that of the canonical text, without its newline
"$EDGESIM" checksum -c doc.json | tr -d '\n' > canon.txt
[ "$(md5sum < canon.txt | cut -d' ' -f1)" = f17749b1d489b32425841914fda7d094 ]
"$EDGESIM" checksum --help | grep -q 'usage: edgesim checksum'
"$EDGESIM" checksum -h | grep -q -- '--canonical'
