/* zprop tests: PMNS matrix, masses from their sum, |Q|^2 and P_i
 * (physics.md sections 1 and 4.4). SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "support.h"
#include "zprop/mixing.h"
#include "physics/physics.h"

#define NPRESET 3
static const zp_mixing_preset presets[NPRESET] = {ZP_MIXING_NUFIT50, ZP_MIXING_NUFIT52,
                                                  ZP_MIXING_NUFIT60};
static const zp_ordering orderings[2] = {ZP_ORDERING_NO, ZP_ORDERING_IO};

static zp_oscillation preset(zp_mixing_preset p, zp_ordering o) {
  zp_oscillation osc;
  zp_error err;
  cr_assert_eq(zp_oscillation_preset(p, o, &osc, &err), ZP_OK, "%s", err.msg);
  return osc;
}

/* Sums to try for one preset: the minimum itself, just above it, and
 * quasi-degenerate values. */
static void sums_for(const zp_oscillation *osc, zp_ordering o, double s[5]) {
  double m = zp_min_sum_mnu(osc, o);
  s[0] = m;
  s[1] = m * (1.0 + 1e-9);
  s[2] = 0.12;
  s[3] = 0.3;
  s[4] = 1.0;
}

/* Calls fn on the mixing of every preset, ordering and sum above. */
static void for_all(void (*fn)(const zp_oscillation *, zp_ordering, double, const zp_mixing *)) {
  for (int p = 0; p < NPRESET; ++p)
    for (int o = 0; o < 2; ++o) {
      zp_oscillation osc = preset(presets[p], orderings[o]);
      double sums[5];
      sums_for(&osc, orderings[o], sums);
      for (int k = 0; k < 5; ++k) {
        zp_mixing mix;
        zp_error err;
        cr_assert_eq(zp_mixing_init(&osc, orderings[o], sums[k], &mix, &err), ZP_OK,
                     "preset %d ordering %d sum %g: %s", p, o, sums[k], err.msg);
        fn(&osc, orderings[o], sums[k], &mix);
      }
    }
}

static void check_unitarity(const zp_oscillation *osc, zp_ordering o, double sum,
                            const zp_mixing *m) {
  (void)osc;
  /* Rows and columns orthonormal; 1e-14: a few roundings of O(1) products. */
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      double rr = 0, ri = 0, cr = 0, ci = 0;
      for (int i = 0; i < 3; ++i) {
        /* U U^dagger (rows) and U^dagger U (columns) */
        rr += m->u_re[a][i] * m->u_re[b][i] + m->u_im[a][i] * m->u_im[b][i];
        ri += m->u_im[a][i] * m->u_re[b][i] - m->u_re[a][i] * m->u_im[b][i];
        cr += m->u_re[i][a] * m->u_re[i][b] + m->u_im[i][a] * m->u_im[i][b];
        ci += m->u_re[i][a] * m->u_im[i][b] - m->u_im[i][a] * m->u_re[i][b];
      }
      double want = a == b ? 1.0 : 0.0;
      cr_assert(fabs(rr - want) < 1e-14 && fabs(ri) < 1e-14 && fabs(cr - want) < 1e-14 &&
                    fabs(ci) < 1e-14,
                "ordering %d sum %g: U not unitary at (%d,%d)", (int)o, sum, a, b);
    }
  /* Same products, possibly summed in another order: 1e-15. */
  for (int a = 0; a < 3; ++a)
    for (int i = 0; i < 3; ++i)
      cr_assert(zp_test_close(
          m->u2[a][i], m->u_re[a][i] * m->u_re[a][i] + m->u_im[a][i] * m->u_im[a][i], 1e-15));
}

Test(mixing, unitarity_all_presets) { for_all(check_unitarity); }

static void check_couplings(const zp_oscillation *osc, zp_ordering o, double sum,
                            const zp_mixing *m) {
  (void)osc;
  double q = 0.0, p = 0.0;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      q += m->q2[i][j];
      /* Q is hermitian, so |Q_ij| = |Q_ji|; 1e-13 relative also covers
       * the small off-diagonal entries built from cancelling terms. */
      cr_assert(zp_test_close(m->q2[i][j], m->q2[j][i], 1e-13));
    }
  /* Tr(Q^dagger Q) = Tr(diag(0,1,-1)^2) = 2; 1e-14: nine O(1) terms. */
  cr_assert(fabs(q - 2.0) < 1e-14, "ordering %d sum %g: sum |Q|^2 = %.17g", (int)o, sum, q);
  for (int i = 0; i < 3; ++i) {
    p += m->p_branch[i];
    /* (Q^dagger Q)_ii = |U_mu i|^2 + |U_tau i|^2 = 1 - |U_ei|^2 by unitarity. */
    cr_assert(fabs(m->p_branch[i] - 0.5 * (1.0 - m->u2[0][i])) < 1e-14,
              "P_%d = %.17g vs (1 - |U_e%d|^2)/2", i + 1, m->p_branch[i], i + 1);
  }
  /* Normalised explicitly, so only the rounding of three additions. */
  cr_assert(fabs(p - 1.0) < 4e-16, "sum P_i = %.17g", p);
}

Test(mixing, q2_and_branching_all_presets) { for_all(check_couplings); }

static void check_masses(const zp_oscillation *osc, zp_ordering o, double sum, const zp_mixing *m) {
  const double *mm = m->masses_ev;
  /* Root solved to a few ulps of the lightest mass. */
  cr_assert(zp_test_close(mm[0] + mm[1] + mm[2], sum, 1e-14), "sum %.17g vs %.17g",
            mm[0] + mm[1] + mm[2], sum);
  /* 1e-11: m_i^2 ~ (sum/3)^2 cancels against splittings 1e3 to 1e5 smaller. */
  cr_assert(zp_test_close(mm[1] * mm[1] - mm[0] * mm[0], osc->dm21, 1e-11));
  if (o == ZP_ORDERING_NO) {
    cr_assert(zp_test_close(mm[2] * mm[2] - mm[0] * mm[0], osc->dm3l, 1e-11));
    cr_assert(mm[0] >= 0.0 && mm[0] < mm[1] && mm[1] < mm[2], "NO masses not ordered");
  } else {
    cr_assert(zp_test_close(mm[2] * mm[2] - mm[1] * mm[1], osc->dm3l, 1e-11));
    cr_assert(mm[2] >= 0.0 && mm[2] < mm[0] && mm[0] < mm[1], "IO masses not m3 < m1 < m2");
  }
}

Test(mixing, masses_reproduce_sum_and_splittings) { for_all(check_masses); }

Test(mixing, minimum_sums) {
  zp_oscillation no = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO);
  zp_oscillation io = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_IO);
  double smin_no = zp_min_sum_mnu(&no, ZP_ORDERING_NO);
  double smin_io = zp_min_sum_mnu(&io, ZP_ORDERING_IO);
  /* physics.md quotes them to three digits. */
  cr_assert(zp_test_close(smin_no, 0.0588, 1e-3), "NO minimum %.6g", smin_no);
  cr_assert(zp_test_close(smin_io, 0.0992, 1e-3), "IO minimum %.6g", smin_io);
  /* Independent arithmetic for the same numbers. */
  cr_assert(zp_test_close(smin_no, sqrt(7.42e-5) + sqrt(2.514e-3), 1e-15));
  cr_assert(zp_test_close(smin_io, sqrt(2.497e-3) + sqrt(2.497e-3 - 7.42e-5), 1e-15));
}

Test(mixing, lightest_massless_at_minimum) {
  for (int o = 0; o < 2; ++o) {
    zp_oscillation osc = preset(ZP_MIXING_NUFIT50, orderings[o]);
    double smin = zp_min_sum_mnu(&osc, orderings[o]);
    int light = o == 0 ? 0 : 2;
    /* Exactly the minimum, and a sum rounded just below it. */
    const double sums[2] = {smin, smin * (1.0 - 5e-13)};
    for (int k = 0; k < 2; ++k) {
      zp_mixing m;
      zp_error err;
      cr_assert_eq(zp_mixing_init(&osc, orderings[o], sums[k], &m, &err), ZP_OK, "%s", err.msg);
      cr_assert_eq(m.masses_ev[light], 0.0, "ordering %d: lightest %g", o, m.masses_ev[light]);
    }
  }
}

Test(mixing, below_minimum_rejected) {
  zp_oscillation no = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO);
  zp_oscillation io = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_IO);
  zp_mixing m;
  zp_error err;
  cr_assert_eq(zp_mixing_init(&no, ZP_ORDERING_NO, 0.05, &m, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "sum_mnu = 0.05 eV is below the minimum") != NULL, "%s", err.msg);
  cr_assert(strstr(err.msg, "NO") != NULL, "%s", err.msg);
  /* Allowed for NO but not for IO. */
  cr_assert_eq(zp_mixing_init(&io, ZP_ORDERING_IO, 0.08, &m, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "IO") != NULL, "%s", err.msg);
  /* Beyond the 1e-12 rounding allowance. */
  double smin = zp_min_sum_mnu(&no, ZP_ORDERING_NO);
  cr_assert_eq(zp_mixing_init(&no, ZP_ORDERING_NO, smin * (1.0 - 1e-9), &m, &err), ZP_EINVAL);
  cr_assert_eq(zp_mixing_init(&no, ZP_ORDERING_NO, NAN, &m, &err), ZP_EINVAL);
}

Test(mixing, invalid_parameters_rejected) {
  zp_oscillation no = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO);
  zp_mixing m;
  zp_error err;
  /* NO splitting used with IO and vice versa. */
  cr_assert_eq(zp_mixing_init(&no, ZP_ORDERING_IO, 0.2, &m, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "dm3l") != NULL, "%s", err.msg);
  zp_oscillation bad = no;
  bad.theta23 = 120.0;
  cr_assert_eq(zp_mixing_init(&bad, ZP_ORDERING_NO, 0.2, &m, &err), ZP_EINVAL);
  cr_assert(strstr(err.msg, "theta23") != NULL, "%s", err.msg);
  zp_oscillation osc;
  cr_assert_eq(zp_oscillation_preset((zp_mixing_preset)7, ZP_ORDERING_NO, &osc, &err), ZP_EINVAL);
  cr_assert_eq(zp_oscillation_preset(ZP_MIXING_NUFIT50, (zp_ordering)5, &osc, &err), ZP_EINVAL);
}

Test(mixing, preset_values) {
  zp_oscillation a = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO);
  cr_assert(a.theta12 == 33.44 && a.theta13 == 8.57 && a.theta23 == 49.0 && a.delta_cp == 195.0 &&
            a.dm21 == 7.42e-5 && a.dm3l == 2.514e-3);
  zp_oscillation b = preset(ZP_MIXING_NUFIT52, ZP_ORDERING_IO);
  cr_assert(b.theta23 == 49.0 && b.delta_cp == 276.0 && b.dm3l == -2.486e-3);
  /* NuFIT 6.0 is published as sin^2: the conversion must round-trip. */
  const double deg = ZP_PI / 180.0;
  zp_oscillation c = preset(ZP_MIXING_NUFIT60, ZP_ORDERING_NO);
  zp_oscillation d = preset(ZP_MIXING_NUFIT60, ZP_ORDERING_IO);
  double s;
  s = sin(c.theta12 * deg);
  cr_assert(zp_test_close(s * s, 0.308, 1e-14));
  s = sin(c.theta13 * deg);
  cr_assert(zp_test_close(s * s, 0.02215, 1e-14));
  s = sin(c.theta23 * deg);
  cr_assert(zp_test_close(s * s, 0.470, 1e-14));
  s = sin(d.theta23 * deg);
  cr_assert(zp_test_close(s * s, 0.550, 1e-14));
  s = sin(d.theta13 * deg);
  cr_assert(zp_test_close(s * s, 0.02231, 1e-14));
  cr_assert(c.delta_cp == 212.0 && d.delta_cp == 274.0);
  cr_assert(c.dm3l == 2.513e-3 && d.dm3l == -2.484e-3 && c.dm21 == 7.49e-5 && d.dm21 == 7.49e-5);
}

Test(mixing, pmns_phase_convention) {
  /* U_e3 = s13 e^{-i delta}; U_mu1 = -s12 c23 - c12 s23 s13 e^{i delta}. */
  zp_oscillation osc = preset(ZP_MIXING_NUFIT50, ZP_ORDERING_NO);
  zp_mixing m;
  zp_error err;
  cr_assert_eq(zp_mixing_init(&osc, ZP_ORDERING_NO, 0.12, &m, &err), ZP_OK);
  /* The same formulas evaluated here: rounding only, 1e-15 absolute. */
  const double deg = ZP_PI / 180.0;
  double s12 = sin(33.44 * deg), c12 = cos(33.44 * deg), s13 = sin(8.57 * deg);
  double s23 = sin(49.0 * deg), c23 = cos(49.0 * deg), d = 195.0 * deg;
  cr_assert(fabs(m.u_re[0][2] - s13 * cos(d)) < 1e-15);
  cr_assert(fabs(m.u_im[0][2] + s13 * sin(d)) < 1e-15);
  cr_assert(fabs(m.u_re[1][0] - (-s12 * c23 - c12 * s23 * s13 * cos(d))) < 1e-15);
  cr_assert(fabs(m.u_im[1][0] - (-c12 * s23 * s13 * sin(d))) < 1e-15);
}
