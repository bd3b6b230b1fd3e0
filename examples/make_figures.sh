#!/usr/bin/env bash
# zprop: regenerates every figure of examples/README.md into figures/.
#
#   examples/make_figures.sh               compute the tables, then draw
#   examples/make_figures.sh --plot-only   redraw from the tables already there
#   ZP_FIG_RES=coarse examples/make_figures.sh  quicker maps, for a first look
#   ZP_FIG_LIMITS=a.txt,b.txt examples/make_figures.sh   limit curves on V-Fig. 2
#                                          (docs/limits.md), with --plot-only too
#
# Builds into build/ (reusing it when present), writes the computed tables
# to figures/tables/ and each figure, with its gnuplot script (.gp) and
# derived data (.dat), to figures/.  Prints the time each figure took.
# (M, g) maps are computed at the scan's full density, 96 masses x 81
# couplings (ZP_FIG_RES=fine, the default), or at 39 x 25 (33 for V-Fig. 2;
# ZP_FIG_RES=coarse); the README gives the time each took.
# SPDX-License-Identifier: MIT
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

plot_only=0
[ "${1:-}" = "--plot-only" ] && plot_only=1

# V1: V-Fig. 1's (M, g, gamma, A) grid, at most 1e6 rows.
case "${ZP_FIG_RES:-fine}" in
  coarse) NM=39; NG=25; NGV=33; V1="mzp=1:20:20 gzp=1e-5:5e-4:10 gamma=2.2:2.9:15 norm=0.8e-18:2.2e-18:15" ;;
  fine) NM=96; NG=81; NGV=81; V1="" ;; # the scan's default grid; V-Fig. 1 as in v_fig1.ini
  *) echo "make_figures: ZP_FIG_RES must be coarse or fine" >&2; exit 2 ;;
esac
LIMITS=${ZP_FIG_LIMITS:+limits=$ZP_FIG_LIMITS}
MZP="1:20:$NM"
GZP_H="1e-5:1e-2:$NG" # H maps: g around the g-2 band
GZP_V="1e-5:1e-1:$NGV" # V-Eq. 10

# Configuring again is cheap and repairs a build/ left half-configured.
cmake -S . -B build >build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target zprop_cli >>build.log 2>&1 \
  || { tail -30 build.log; exit 1; }
Z="$root/build/zprop"
command -v gnuplot >/dev/null || { echo "make_figures: needs gnuplot (Debian gnuplot-nox)" >&2; exit 2; }

F=figures
T=figures/tables
mkdir -p "$T"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc 2>/dev/null || echo 2)}

# compute CMD...: runs a zprop computation unless --plot-only; its messages
# (scan progress lines) go to figures/tables/log.txt.
compute() {
  [ "$plot_only" = 1 ] && return 0
  echo "+ zprop $*" >>"$T/log.txt"
  "$Z" "$@" >>"$T/log.txt" 2>&1 || { echo "failed: zprop $*" >&2; tail -5 "$T/log.txt" >&2; exit 1; }
}
draw() { "$Z" plot "$@" 2>>"$T/log.txt" || { tail -1 "$T/log.txt" >&2; exit 1; }; }

# The lowest delta_chi2 grid point of a scan table, as "mzp gzp"; with
# "gm2" only where the point is within 2 sigma of the g-2 reference.
best_point() {
  awk -v only="${2:-}" '!/^#/ && (only != "gm2" || ($9 >= -2 && $9 <= 2)) {
    if (!n || $4 < b) { b = $4; m = $1; g = $2; n = 1 } } END { printf "%.6g %.4g\n", m, g }' "$1"
}

h_fig1() {
  compute fit examples/h_fig1.ini output=$T/h_fig1.tsv
  draw $T/h_fig1.tsv output=$F/h_fig1.png xrange=3e3:1e8 \
    title="H-Fig. 1: IceCube 6-year cascades and the best-fit power law"
}

h_fig2() {
  for s in 0.12 0.059; do
    for z in 0.5 1 3 6; do
      compute fit examples/h_fig2.ini z0=$z sum_mnu=$s output=$T/h_fig2_${s}_z$z.tsv
    done
    draw $T/h_fig2_${s}_z{0.5,1,3,6}.tsv output=$F/h_fig2_$s.png xrange=1e4:1e8 \
      title="H-Fig. 2: M = 13 MeV, g = 5e-4, Σmν = $s eV NO, γ = 2.5, norm fitted"
  done
}

h_fig3() {
  for g in 1e-4 3e-4 5e-4 1e-3; do compute fit examples/h_fig3.ini mzp=13 gzp=$g output=$T/h_fig3_g$g.tsv; done
  for m in 8 10 13 16; do compute fit examples/h_fig3.ini mzp=$m gzp=5e-4 output=$T/h_fig3_m$m.tsv; done
  draw $T/h_fig3_g{1e-4,3e-4,5e-4,1e-3}.tsv output=$F/h_fig3_g.png xrange=1e4:1e8 \
    title="H-Fig. 3 (left): z₀ = 6, Σmν = 0.12 eV NO, M = 13 MeV, γ = 2.5"
  draw $T/h_fig3_m{8,10,13,16}.tsv output=$F/h_fig3_m.png xrange=1e4:1e8 \
    title="H-Fig. 3 (right): z₀ = 6, Σmν = 0.12 eV NO, g = 5e-4, γ = 2.5"
}

# map FIG TITLE: the three frames of an H map figure (NO 0.12, NO 0.059, IO 0.12).
map() {
  local fig=$1 what=$2
  for frame in "NO 0.12" "NO 0.059" "IO 0.12"; do
    set -- $frame
    compute scan examples/$fig.ini ordering=$1 sum_mnu=$2 mzp=$MZP gzp=$GZP_H \
      output=$T/${fig}_$1_$2.tsv resume=restart
    draw $T/${fig}_$1_$2.tsv output=$F/${fig}_$1_$2.png \
      title="${fig/h_fig/H-Fig. }: $what, Σmν = $2 eV $1 (${NM}x${NG} grid)"
  done
}

h_fig4() { map h_fig4 "delta sources at z₀ = 1"; }

h_fig5() {
  local args=() labels=() i=0
  for frame in "NO 0.12 -" "NO 0.12 gm2" "NO 0.059 gm2" "IO 0.12 gm2"; do
    set -- $frame
    local p
    p=$(best_point $T/h_fig4_$1_$2.tsv "$3")
    set -- $1 $2 $3 $p
    compute fit examples/h_fig5.ini ordering=$1 sum_mnu=$2 mzp=$4 gzp=$5 output=$T/h_fig5_$i.tsv
    args+=("$T/h_fig5_$i.tsv")
    i=$((i + 1))
  done
  draw "${args[@]}" output=$F/h_fig5.png xrange=1e4:1e8 \
    title="H-Fig. 5: lowest-Δχ² points of the H-Fig. 4 scans (3 within 2σ of g−2), fitted"
}

h_fig6() { draw kind=sources output=$F/h_fig6.png xrange=0:7 \
  title="H-Fig. 6: source redshift distributions, each divided by its maximum"; }

h_fig7() { map h_fig7 "BL Lac sources"; }
h_fig8() { map h_fig8 "star-formation sources"; }
h_fig9() { map h_fig9 "delta sources at z₀ = 6"; }

# dark FIG GCHI WHAT: spectra at g = 5e-4 for four masses, and the (M, g) map.
dark() {
  local fig=$1 gchi=$2 what=$3
  for m in 5 8 13 20; do compute fit examples/$fig.ini mzp=$m gzp=5e-4 output=$T/${fig}_m$m.tsv; done
  draw $T/${fig}_m{5,8,13,20}.tsv output=$F/${fig}_spectra.png xrange=1e4:1e8 \
    title="${fig/h_fig/H-Fig. }: gχ = $gchi, g = 5e-4, $what, Σmν = 0.12 eV NO, fitted"
  compute scan examples/$fig.ini mzp=$MZP gzp=$GZP_H output=$T/${fig}_map.tsv resume=restart
  draw $T/${fig}_map.tsv output=$F/${fig}_map.png \
    title="${fig/h_fig/H-Fig. } (map): gχ = $gchi, $what, Σmν = 0.12 eV NO (${NM}x${NG} grid)"
}
h_fig10() { dark h_fig10 7e-3 "z₀ = 1"; }
h_fig11() { dark h_fig11 3e-3 "star-formation sources"; }

v_fig1() {
  compute scan examples/v_fig1.ini $V1 output=$T/v_fig1.tsv resume=restart
  compute profile $T/v_fig1.tsv over=mzp,gzp output=$T/v_fig1_profile.tsv
  draw $T/v_fig1_profile.tsv output=$F/v_fig1.png zrange=0:12 \
    title="V-Fig. 1: χ² min over M ∈ [1, 20] MeV, g ≤ 5e-4 at fixed (A = norm/1e-18, γ); SFR, Σmν = 0.1 eV NO"
}

v_fig2() {
  compute scan examples/v_fig2.ini mzp=$MZP gzp=$GZP_V output=$T/v_fig2.tsv resume=restart
  draw $T/v_fig2.tsv z=R output=$F/v_fig2.png zrange=0.5:1.5 gm2_line=bmw2021 $LIMITS \
    title="V-Fig. 2: R, (A, γ) = (1.5, 2.5) fixed, SFR, Σmν = 0.1 eV NO, cascades + tracks (${NM}x${NGV})"
  # The paper's R divides by chi2_SM at (1.4, 2.6), 27.28 here, not by the
  # power law at the map's own (1.5, 2.5): its R = 1 is chi2 = 12/14 x 27.28.
  draw $T/v_fig2.tsv z=chi2 contours=23.38 output=$F/v_fig2_chi2.png zrange=10:40 gm2_line=bmw2021 \
    title="V-Fig. 2 as the paper defines R: χ², contour R = 1 ⇔ χ² = 12/14 × 27.28 = 23.38"
  compute scan examples/v_fig2.ini profile=gamma_norm mzp=$MZP gzp=$GZP_V \
    output=$T/v_fig2_profiled.tsv resume=restart
  draw $T/v_fig2_profiled.tsv z=R output=$F/v_fig2_profiled.png zrange=0.5:1.5 \
    title="V-Fig. 2 variant: R with A and γ fitted at every point (${NM}x${NGV})"
}

v_fig3() {
  compute spectrum examples/v_fig3.ini gzp=5e-4 output=$T/v_fig3_g5e-4.tsv
  compute spectrum examples/v_fig3.ini gzp=1e-4 output=$T/v_fig3_g1e-4.tsv
  draw $T/v_fig3_g5e-4.tsv $T/v_fig3_g1e-4.tsv output=$F/v_fig3.png data=v2024 xrange=1e4:1e8 \
    label="M = 6.5 MeV g = 5e-4 (NA64 2024 limit),M = 6.5 MeV g = 1e-4 (NA64 1e11 MOT reach)" \
    title="V-Fig. 3: (A, γ) = (1.4, 2.6), SFR, Σmν = 0.1 eV NO; dashed: no Z′"
}

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%7.1f", b - a }'; }

rm -f "$T/log.txt"
total0=$(date +%s.%N)
echo "figure          seconds  (tables: $T, maps ${NM}x${NG}; V maps ${NM}x${NGV})"
for fig in h_fig1 h_fig2 h_fig3 h_fig4 h_fig5 h_fig6 h_fig7 h_fig8 h_fig9 h_fig10 h_fig11 \
  v_fig1 v_fig2 v_fig3; do
  t0=$(date +%s.%N)
  $fig
  printf "%-15s %s\n" "$fig" "$(since "$t0")"
done
printf "%-15s %s\n" "total" "$(since "$total0")"
