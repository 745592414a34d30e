#!/bin/bash
# tests/bench/import.sh: postsale-cli import against sqlite3 .import of the same file.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/import.sh [BUILD_DIR] [N_LINES=1000000]
#   BUILD_DIR defaults to _build (relative to the current directory or to the
#   source root). Environment: RUNS (default 1) alternating runs of each,
#   KEEP=1 keeps the temporary directory (the CSV and the databases),
#   CSV=FILE uses an existing export instead of generating one.
#
# 1. Generates a Shopify orders_export.csv of N_LINES data rows with the
#    79-column 2025 header: orders of 1-4 line items written as Shopify does
#    (order fields on the first row, continuation rows with only Name,
#    Email, Created at, Lineitem *, Vendor, Phone), addresses with commas in
#    quotes, a few multi-line notes. Deterministic (fixed seed).
# 2. In the same run, alternately RUNS times each, on fresh databases:
#      postsale-cli --db fresh.db --json import FILE
#      sqlite3 fresh.db '.import --csv FILE t'     (t: a bare table, no index)
#    timing each with /usr/bin/time -v (wall clock and peak RSS).
# 3. Prints both (and their CPU time: the import uses two threads, so on a
#    machine busy with other work its wall time suffers more than sqlite3's),
#    the ratio import/sqlite3 of wall times (target <= 1.0) and the import's
#    peak RSS (target < 200 MB).
#
# Exit status: 0 when every run succeeded (missed targets are shown, not a
# failure), 1 when a run failed, 2 on usage errors.
set -uo pipefail

here=$(dirname "$(readlink -f "$0")")
src_root=$(readlink -f "$here/../..")
build=${1:-_build}
n_lines=${2:-1000000}
runs=${RUNS:-1}

if [ ! -d "$build" ] && [ -d "$src_root/$build" ]; then
  build="$src_root/$build"
fi
cli="$build/src/cli/postsale-cli"
if [ ! -x "$cli" ]; then
  echo "import.sh: $cli not found; build first (meson compile -C $build)" >&2
  exit 2
fi
for tool in sqlite3 /usr/bin/time /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "import.sh: $tool is needed (Debian packages sqlite3, time, python3)" >&2
    exit 2
  fi
done
case $n_lines in
  ''|*[!0-9]*) echo "import.sh: N_LINES must be a number" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-import-bench.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
  echo "Keeping $tmp"
else
  trap 'rm -rf "$tmp"' EXIT
fi

csv=${CSV:-$tmp/orders_export.csv}
if [ -z "${CSV:-}" ]; then
  start=$(date +%s.%N)
  /usr/bin/python3 - "$csv" "$n_lines" <<'EOF'
import random, sys
from datetime import datetime, timedelta

path, n_lines = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261122)
header = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,"
          "Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
          "Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
          "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,"
          "Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,"
          "Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,"
          "Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
          "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
          "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
          "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
          "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
          "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,"
          "Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,"
          "Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,"
          "Next Payment Due At,Payment References")
assert len(header.split(",")) == 79
first = ["Ann", "Bob", "Cy", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea"]
last = ["Lee", "Roe", "Doe", "Poe", "Kim", "Nagy", "Berg", "Silva", "Okafor", "Novak"]
places = [("Portland", "97201", "OR", "Oregon", "US"), ("Seattle", "98101", "WA", "Washington", "US"),
          ("Austin", "73301", "TX", "Texas", "US"), ("Boston", "02108", "MA", "Massachusetts", "US"),
          ("Toronto", "M5H 2N2", "ON", "Ontario", "CA"), ("Denver", "80202", "CO", "Colorado", "US"),
          ("Miami", "33101", "FL", "Florida", "US"), ("Chicago", "60601", "IL", "Illinois", "US")]
products = [("Ceramic Mug", "MUG-01", 1800), ("Tea Towel", "TWL-02", 1200),
            ("Linen Apron", "APR-03", 3400), ("Oak Spoon", "SPN-04", 900),
            ("Stoneware Bowl", "BWL-05", 2600), ("Candle - Fig", "CDL-06", 2200),
            ("Notebook, dotted", "NTB-07", 1500), ("Tote Bag", "TOT-08", 2000)]
empty = [""] * 79
written = 0
order = 1000
start = datetime(2026, 1, 1, 8, 0, 0)
with open(path, "w", newline="") as out:
    out.write(header + "\n")
    while written < n_lines:
        order += 1
        n_items = min(rng.choice((1, 1, 2, 2, 3, 4)), n_lines - written)
        items = [rng.choice(products) for _ in range(n_items)]
        qty = [rng.choice((1, 1, 1, 2, 3)) for _ in range(n_items)]
        subtotal = sum(p[2] * q for p, q in zip(items, qty))
        shipping = rng.choice((0, 500, 800))
        tax = subtotal * 8 // 100
        total = subtotal + shipping + tax
        name = f"{rng.choice(first)} {rng.choice(last)}"
        email = f"{name.split()[0].lower()}.{rng.randrange(10**6)}@example.com"
        city, zip_, prov, prov_name, country = rng.choice(places)
        # Exports list orders in date order: about one every 40 s.
        when = start + timedelta(seconds=40 * (order - 1000) + rng.randrange(40))
        created = when.strftime("%Y-%m-%d %H:%M:%S -0400")
        street = f"{order % 900 + 1} Main St"
        line2 = rng.choice(("", "", "Apt 4, rear", "Suite 200"))
        fulfilled = rng.random() < 0.6
        note = rng.choice(("", "", "", "Gift, please wrap", "Leave at door\nring twice"))
        for k in range(n_items):
            row = list(empty)
            p, q = items[k], qty[k]
            row[0], row[1], row[15] = f"#{order}", email, created
            row[16], row[17], row[18], row[20] = str(q), p[0], f"{p[2] / 100:.2f}", p[1]
            row[21], row[22] = "true", "true"
            row[23] = "fulfilled" if fulfilled else "pending"
            row[50] = "Postsale Goods"
            row[70] = ""
            row[59] = "0.00"
            if k == 0:
                row[2], row[3] = "paid", created
                row[4] = "fulfilled" if fulfilled else "unfulfilled"
                row[5] = created if fulfilled else ""
                row[6], row[7] = "no", "USD"
                row[8], row[9], row[10], row[11] = (f"{subtotal / 100:.2f}", f"{shipping / 100:.2f}",
                                                    f"{tax / 100:.2f}", f"{total / 100:.2f}")
                row[13], row[14] = "0.00", "Standard"
                for base in (24, 34):
                    row[base], row[base + 1] = name, f"{street}, {line2}" if line2 else street
                    row[base + 2], row[base + 3] = street, line2
                    row[base + 5], row[base + 6], row[base + 7] = city, zip_, prov
                    row[base + 8], row[base + 9] = country, ""
                row[44] = note
                row[47], row[49] = "Shopify Payments", "0.00"
                row[55] = str(5000000000000 + order)
                row[56], row[57], row[58] = "", "Low", "web"
                row[60], row[61] = "Sales tax 8%", f"{tax / 100:.2f}"
                row[73], row[74] = prov_name, prov_name
            out.write(",".join(f'"{v}"' if ("," in v or "\n" in v or '"' in v) else v
                               for v in row) + "\n")
            written += 1
EOF
  end=$(date +%s.%N)
  printf 'Generated %s data rows (%s) in %.1f s\n' "$n_lines" "$(du -h "$csv" | cut -f1)" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
fi

# run_timed OUT CMD...: prints "WALL_S PEAK_RSS_KB CPU_S"; status = CMD's
run_timed() {
  local out=$1
  shift
  /usr/bin/time -v -o "$out.time" "$@" >"$out" 2>"$out.err" </dev/null
  local rc=$?
  local wall rss cpu
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): *//p' "$out.time" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$out.time")
  cpu=$(awk -F': *' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$out.time")
  echo "$wall $rss $cpu"
  return $rc
}

failed=0
app_times=() bare_times=() app_rss=() app_cpu=() bare_cpu=()
for run in $(seq 1 "$runs"); do
  rm -f "$tmp"/app.db* "$tmp"/bare.db*
  if ! r=$(run_timed "$tmp/app.out" "$cli" --db "$tmp/app.db" --json import "$csv"); then
    echo "run $run: postsale-cli import failed:" >&2
    cat "$tmp/app.out.err" >&2
    failed=1
    break
  fi
  read -r wall rss cpu <<<"$r"
  app_times+=("$wall") app_rss+=("$rss") app_cpu+=("$cpu")
  echo "run $run: postsale-cli import   $wall s (CPU $cpu s), peak RSS $rss kB: $(head -c 120 "$tmp/app.out")…"

  if ! r=$(run_timed "$tmp/bare.out" sqlite3 "$tmp/bare.db" ".import --csv $csv t"); then
    echo "run $run: sqlite3 .import failed:" >&2
    cat "$tmp/bare.out.err" >&2
    failed=1
    break
  fi
  read -r wall rss cpu <<<"$r"
  bare_times+=("$wall") bare_cpu+=("$cpu")
  echo "run $run: sqlite3 .import       $wall s (CPU $cpu s), peak RSS $rss kB ($(sqlite3 "$tmp/bare.db" 'SELECT count(*) FROM t') rows)"
done
[ $failed = 1 ] && exit 1

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
app=$(median "${app_times[@]}")
bare=$(median "${bare_times[@]}")
app_c=$(median "${app_cpu[@]}")
bare_c=$(median "${bare_cpu[@]}")
rss=$(printf '%s\n' "${app_rss[@]}" | sort -g | tail -1)
ratio=$(awk -v a="$app" -v b="$bare" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
rss_mb=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k * 1024 / 1000000 }')

echo
printf '%-34s %10s\n' "figure (median of $runs)" "value"
printf '%-34s %10s   (CPU %s s)\n' "postsale-cli import" "$app s" "$app_c"
printf '%-34s %10s   (CPU %s s)\n' "sqlite3 .import" "$bare s" "$bare_c"
printf '%-34s %10s  %s\n' "ratio import / sqlite3 (<= 1.0)" "$ratio" \
  "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.0 ? "ok" : "MISSED") }')"
printf '%-34s %10s  %s\n' "import peak RSS (< 200 MB)" "$rss_mb MB" \
  "$(awk -v m="$rss_mb" 'BEGIN { print (m < 200 ? "ok" : "MISSED") }')"
exit 0
