/* zp_format_exp against glibc's snprintf("%.*e"), which converts exactly:
 * the same text, byte for byte, for random bit patterns over the whole
 * range, for table-like magnitudes, for numbers within an ulp of a half in
 * the last digit (which must take the exact path), at the powers of ten and
 * the carries to them, and for zero, subnormals, infinities and NaN. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format_exp.h"

static uint64_t next_random(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static double uniform(uint64_t *s) { return (double)(next_random(s) >> 11) * 0x1p-53; }

/* Counts a mismatch and reports the first few. */
static int check(double x, int prec) {
  char want[64], got[ZP_FORMAT_EXP_SIZE];
  int nw = snprintf(want, sizeof want, "%.*e", prec, x);
  int ng = zp_format_exp(got, x, prec);
  if (nw == ng && strcmp(want, got) == 0) return 0;
  cr_log_error("x = %a, prec %d: printf '%s', zp_format_exp '%s' (%d)", x, prec, want, got, ng);
  return 1;
}

static void check_both_neighbours(double x, int prec, int *bad) {
  *bad += check(x, prec);
  *bad += check(nextafter(x, 0.0), prec);
  *bad += check(nextafter(x, INFINITY), prec);
}

Test(format_exp, random_bit_patterns_at_every_precision) {
  uint64_t s = 1;
  int bad = 0;
  for (int prec = 0; prec <= ZP_FORMAT_EXP_MAX_PREC + 2; prec++)
    for (int i = 0; i < (prec == 10 ? 200000 : 20000); i++) {
      uint64_t bits = next_random(&s);
      double x;
      memcpy(&x, &bits, sizeof x);
      if (isfinite(x)) bad += check(x, prec);
    }
  cr_expect_eq(bad, 0, "%d numbers printed differently", bad);
}

Test(format_exp, table_magnitudes) {
  uint64_t s = 2;
  int bad = 0;
  for (int i = 0; i < 300000; i++) {
    double x = pow(10.0, -40.0 + 100.0 * uniform(&s)) * (i % 7 == 0 ? -1.0 : 1.0);
    bad += check(x, 10);
    if (i % 10 == 0) bad += check(x, 3 + i % 12);
  }
  cr_expect_eq(bad, 0, "%d numbers printed differently", bad);
}

/* The doubles nearest to d.ddd...5 x 10^e: the last digit is decided by
 * bits beyond double-double's reach only here. */
Test(format_exp, halfway_cases) {
  uint64_t s = 3;
  int bad = 0;
  for (int i = 0; i < 100000; i++) {
    int prec = i % 3 == 0 ? 10 : (int)(next_random(&s) % (ZP_FORMAT_EXP_MAX_PREC + 1));
    int e = (int)(next_random(&s) % 90) - 40;
    uint64_t digits = 1 + next_random(&s) % 999999999999999u; /* up to 15 digits */
    /* a random first digit, the next prec of digits, then 5 */
    char text[64], lead[24];
    snprintf(lead, sizeof lead, "%015llu", (unsigned long long)digits);
    lead[0] = (char)('1' + next_random(&s) % 9);
    snprintf(text, sizeof text, "%c.%.*s5e%d", lead[0], prec, lead + 1, e);
    check_both_neighbours(strtod(text, NULL), prec, &bad);
  }
  /* exact halves: small integers + 0.5, and 2^-k */
  for (int k = 0; k < 60; k++) check_both_neighbours(ldexp(1.0, -k), 10, &bad);
  for (int n = 0; n < 2000; n++) check_both_neighbours(n + 0.5, n % 15, &bad);
  cr_expect_eq(bad, 0, "%d numbers printed differently", bad);
}

Test(format_exp, powers_of_ten_and_carries) {
  int bad = 0;
  for (int e = -330; e <= 308; e++) {
    char text[32];
    snprintf(text, sizeof text, "1e%d", e);
    for (int prec = 0; prec <= ZP_FORMAT_EXP_MAX_PREC; prec++) {
      check_both_neighbours(strtod(text, NULL), prec, &bad);
      /* 9.99...95e(e-1): rounds up to 1e(e) */
      snprintf(text, sizeof text, "9.%.*s5e%d", prec, "99999999999999999", e - 1);
      check_both_neighbours(strtod(text, NULL), prec, &bad);
      snprintf(text, sizeof text, "1e%d", e);
    }
  }
  cr_expect_eq(bad, 0, "%d numbers printed differently", bad);
}

Test(format_exp, zero_subnormal_and_non_finite) {
  const double odd[] = {0.0,     -0.0,     DBL_MIN,      -DBL_MIN,
                        DBL_MAX, -DBL_MAX, DBL_TRUE_MIN, 0x1.fffffffffffffp-1023,
                        5e-324,  INFINITY, -INFINITY,    NAN,
                        -NAN};
  int bad = 0;
  for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
    for (int prec = -1; prec <= ZP_FORMAT_EXP_MAX_PREC + 3; prec++) bad += check(odd[i], prec);
  cr_expect_eq(bad, 0, "%d numbers printed differently", bad);
}
