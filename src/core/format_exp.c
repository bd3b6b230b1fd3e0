/* zprop: printf's "%.*e" without multi-precision arithmetic (see
 * format_exp.h).  |x| 10^k is formed in double-double arithmetic, with
 * 10^k exact as a sum of two doubles for |k| <= 44; its error, below 1e-30
 * relative, decides the last digit wrongly only within that distance of a
 * half, where the number goes to snprintf instead.
 * SPDX-License-Identifier: MIT */
#include "core/format_exp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { MAX_POW = 44 };

/* Every power of ten up to 1e22 is a double. */
static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/** a b = *p + *e exactly (Dekker's product with Veltkamp's split; fma()
 *  is a library call on baseline x86-64, three per number). */
static void two_product(double a, double b, double *p, double *e) {
  const double split = 134217729.0; /* 2^27 + 1 */
  double ca = split * a, a_hi = ca - (ca - a), a_lo = a - a_hi;
  double cb = split * b, b_hi = cb - (cb - b), b_lo = b - b_hi;
  *p = a * b;
  *e = ((a_hi * b_hi - *p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
}

/** 10^k = *hi + *lo exactly, 0 <= k <= MAX_POW: 5^44 has 103 bits, and the
 *  product of two doubles is two doubles exactly. */
static void pow10_pair(int k, double *hi, double *lo) {
  if (k <= 22) {
    *hi = pow10_exact[k];
    *lo = 0.0;
    return;
  }
  two_product(pow10_exact[22], pow10_exact[k - 22], hi, lo);
}

/** |x| 10^k as *s_hi + *s_lo, |k| <= MAX_POW. */
static void scale(double ax, int k, double *s_hi, double *s_lo) {
  double hi, lo;
  pow10_pair(k < 0 ? -k : k, &hi, &lo);
  double p, e;
  if (k >= 0) {
    two_product(ax, hi, &p, &e);
    *s_hi = p;
    *s_lo = e + ax * lo;
  } else {
    double q = ax / hi;
    two_product(q, hi, &p, &e);
    /* ax - p is exact (p is within an ulp of ax) */
    double r = ((ax - p) - e) - q * lo;
    *s_hi = q;
    *s_lo = r / hi;
  }
}

static int fallback(char out[ZP_FORMAT_EXP_SIZE], double x, int prec) {
  return snprintf(out, ZP_FORMAT_EXP_SIZE, "%.*e", prec, x);
}

/* "00" "01" ... "99": two digits per division, the divisions being chained */
static const char digit_pairs[201] = "0001020304050607080910111213141516171819"
                                     "2021222324252627282930313233343536373839"
                                     "4041424344454647484950515253545556575859"
                                     "6061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

/** Writes the digits of @p n, @p count of them, ending before @p end. */
static void put_digits(char *end, uint64_t n, int count) {
  for (; count >= 2; count -= 2) {
    end -= 2;
    memcpy(end, digit_pairs + 2 * (n % 100), 2);
    n /= 100;
  }
  if (count > 0) *--end = (char)('0' + n % 10);
}

int zp_format_exp(char out[ZP_FORMAT_EXP_SIZE], double x, int prec) {
  double ax = fabs(x);
  if (prec < 0 || prec > ZP_FORMAT_EXP_MAX_PREC || !(isnormal(ax) || ax == 0.0))
    return fallback(out, x, prec);
  uint64_t lowest = (uint64_t)pow10_exact[prec], n = 0;
  int e10 = 0;
  if (ax != 0.0) {
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    int e2 = (int)(bits >> 52) - 1023; /* ax in [2^e2, 2^(e2 + 1)): normal */
    /* floor(log10 ax), or one below: corrected by the digit count. */
    e10 = (int)floor(e2 * 0.30102999566398120);
    for (int tries = 0;; tries++) {
      int k = prec - e10;
      if (k > MAX_POW || k < -MAX_POW || tries == 3) return fallback(out, x, prec);
      double s_hi, s_lo;
      scale(ax, k, &s_hi, &s_lo);
      /* s_hi is below 2^53 and positive: truncation is floor */
      double whole = (double)(uint64_t)s_hi, frac = (s_hi - whole) + s_lo;
      if (frac < 0.0) {
        whole -= 1.0;
        frac += 1.0;
      } else if (frac >= 1.0) {
        whole += 1.0;
        frac -= 1.0;
      }
      if (whole < (double)lowest) {
        e10--;
        continue;
      }
      if (whole >= 10.0 * (double)lowest) {
        e10++;
        continue;
      }
      /* A tie or nearly one: printf's exact answer. */
      if (fabs(frac - 0.5) < 1e-6) return fallback(out, x, prec);
      n = (uint64_t)whole + (frac > 0.5);
      if (n == 10 * lowest) {
        n = lowest;
        e10++;
      }
      break;
    }
  }
  char *p = out;
  if (signbit(x)) *p++ = '-';
  *p++ = (char)('0' + n / lowest);
  if (prec > 0) {
    *p++ = '.';
    put_digits(p + prec, n % lowest, prec);
    p += prec;
  }
  *p++ = 'e';
  *p++ = e10 < 0 ? '-' : '+';
  int ae = e10 < 0 ? -e10 : e10, width = ae >= 100 ? 3 : 2;
  put_digits(p + width, (uint64_t)ae, width);
  p += width;
  *p = '\0';
  return (int)(p - out);
}
