#!/usr/bin/env bash
# zprop: the numbers examples/README.md and the README quote from the figures'
# tables (figures/tables/, written by examples/make_figures.sh).
#
#   examples/figure_numbers.sh [TABLES]
#
# For each (M, g) map: its lowest point; along the coupling of the grid
# nearest g = 4.2e-4 (inside the g-2 band of WP2020 at 1.5 sigma for every M),
# the lowest point and the masses where delta_chi2 <= -4; for V-Fig. 2 R; for
# V-Fig. 1 the best (A, gamma) and the extent of the 90% and 95% CL regions.
# SPDX-License-Identifier: MIT
set -euo pipefail
T=${1:-"$(dirname "$0")/../figures/tables"}

# map TABLE COLUMN: lowest value of COLUMN (4 delta_chi2, 5 R) over the map,
# and along the row of g nearest 4.2e-4.
map() {
  awk -v col="$2" -v name="$(basename "$1" .tsv)" '
    !/^#/ { m[NR] = $1; g[NR] = $2; v[NR] = $col; p[NR] = $9; rows[NR] = 1 }
    END {
      best = ""; for (i in rows) if (best == "" || v[i] < v[best]) best = i
      # the grid coupling nearest 4.2e-4 (in log)
      gn = ""; for (i in rows) { d = log(g[i] / 4.2e-4); d = d < 0 ? -d : d
        if (gn == "" || d < dn) { dn = d; gn = g[i] } }
      rb = ""; k = 0
      for (i = 1; i <= NR; i++) if (i in rows && g[i] == gn) {  # rows in mass order
        if (rb == "" || v[i] < v[rb]) rb = i
        row[++k] = i }
      printf "%-22s lowest %7.2f at (%5.2f MeV, g = %.3g); at g = %.3g: lowest %7.2f at %5.2f MeV (pull %+.1f)",
        name, v[best], m[best], g[best], gn, v[rb], m[rb], p[rb]
      if (col == 4) {  # the mass ranges where delta_chi2 <= -4 along that row
        printf ", <= -4 at"; inr = 0; any = 0
        for (j = 1; j <= k + 1; j++) {
          ok = j <= k && v[row[j]] <= -4
          if (ok && !inr) { printf " %.2f", m[row[j]]; inr = 1; any = 1 }
          else if (!ok && inr) { printf "-%.2f", m[row[j - 1]]; inr = 0 } }
        printf any ? " MeV" : " none" }
      printf "\n"
    }' "$1"
}

# at TABLE M G COLUMN: COLUMN at the grid point nearest (M, G).
at() {
  awk -v M="$2" -v G="$3" -v col="$4" '
    !/^#/ { d = (($1 - M) / M) ^ 2 + log($2 / G) ^ 2
      if (n == 0 || d < bd) { bd = d; m = $1; g = $2; v = $col; n = 1 } }
    END { printf "  nearest (%g MeV, %g): (%.2f MeV, %.3g) value %.3f\n", M, G, m, g, v }' "$1"
}

for f in h_fig4 h_fig7 h_fig8 h_fig9; do
  for frame in NO_0.12 NO_0.059 IO_0.12; do
    [ -f "$T/${f}_$frame.tsv" ] && map "$T/${f}_$frame.tsv" 4
  done
done
for f in h_fig10_map h_fig11_map; do [ -f "$T/$f.tsv" ] && map "$T/$f.tsv" 4; done
if [ -f "$T/v_fig2.tsv" ]; then
  map "$T/v_fig2.tsv" 5
  echo "v_fig2 R at the paper's P1:"
  at "$T/v_fig2.tsv" 6.5 5e-4 5
fi
if [ -f "$T/v_fig1_profile.tsv" ]; then
  # columns of a profile of (M, g, gamma, norm): gamma 6, norm 7, dchi2_min 10
  awk '/^## contours/ { print "v_fig1 " substr($0, 4) }
    !/^#/ { if (n == 0 || $3 < b) { b = $3; bm = $1; bg = $2; ga = $6; a = $7 }; n = 1
      for (k = 1; k <= 2; k++) { lim = k == 1 ? 4.60517 : 5.99146
        if ($10 <= lim) { if (!(k in glo) || $6 < glo[k]) glo[k] = $6; if (!(k in ghi) || $6 > ghi[k]) ghi[k] = $6
          if (!(k in alo) || $7 < alo[k]) alo[k] = $7; if (!(k in ahi) || $7 > ahi[k]) ahi[k] = $7 } } }
    END { printf "v_fig1 best (A, gamma) = (%.3f, %.3f), chi2 = %.2f at (%.2f MeV, g = %.3g)\n", a / 1e-18, ga, b, bm, bg
      for (k = 1; k <= 2; k++) printf "v_fig1 %s CL: gamma %.3f to %.3f, A %.3f to %.3f\n", k == 1 ? "90%" : "95%",
        glo[k], ghi[k], alo[k] / 1e-18, ahi[k] / 1e-18 }' "$T/v_fig1_profile.tsv"
  for p in "P1 1.5 2.5" "P2 1.4 2.6"; do
    set -- $p
    awk -v A="$2" -v G="$3" -v name="$1" '!/^#/ { d = ($7 / 1e-18 - A) ^ 2 + ($6 - G) ^ 2
      if (n == 0 || d < bd) { bd = d; v = $10; a = $7; g = $6; n = 1 } }
      END { printf "v_fig1 %s = (%s, %s): nearest grid point (%.3f, %.3f) has chi2 - chi2_min = %.2f\n",
        name, A, G, a / 1e-18, g, v }' "$T/v_fig1_profile.tsv"
  done
fi
