# scenarios/schema.json is a valid JSON Schema that accepts every shipped
# scenario (and rejects a few bad ones); skipped without python3.
command -v python3 >/dev/null || { echo "no python3: skipped"; exit 0; }
python3 "$T/../../scripts/check-schema.py"
