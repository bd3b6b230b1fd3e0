/* zprop: which instruction set the structured batch sweep runs with
 * (apply_isa.h).  The CPU is asked once; the answer never changes within a
 * process, so it is kept in statics set under pthread_once.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdatomic.h>

#include "backends/apply_isa.h"
#include "physics/vector_isa.h"

static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
static int have[ZP_APPLY_NISA];
static atomic_int forced = -1; /* -1: none, the widest supported */

static void detect(void) {
  have[ZP_APPLY_SCALAR] = 1;
#if defined(__x86_64__) /* the sweeps' intrinsics are compiled there only */
  have[ZP_APPLY_AVX2] = zp_cpu_runs_isa(1);
  have[ZP_APPLY_AVX512] = zp_cpu_runs_isa(2);
#endif
}

const char *zp_apply_isa_name(zp_apply_isa isa) {
  static const char *const names[ZP_APPLY_NISA] = {"scalar", "avx2", "avx512"};
  return (unsigned)isa < ZP_APPLY_NISA ? names[isa] : "unknown";
}

size_t zp_apply_isa_width(zp_apply_isa isa) {
  return isa == ZP_APPLY_AVX512 ? 8 : (isa == ZP_APPLY_AVX2 ? 4 : 1);
}

int zp_apply_isa_supported(zp_apply_isa isa) {
  pthread_once(&detect_once, detect);
  return (unsigned)isa < ZP_APPLY_NISA && have[isa];
}

zp_apply_isa zp_apply_isa_best(void) {
  if (zp_apply_isa_supported(ZP_APPLY_AVX512)) return ZP_APPLY_AVX512;
  return zp_apply_isa_supported(ZP_APPLY_AVX2) ? ZP_APPLY_AVX2 : ZP_APPLY_SCALAR;
}

zp_apply_isa zp_apply_isa_active(void) {
  int f = atomic_load(&forced);
  return f >= 0 ? (zp_apply_isa)f : zp_apply_isa_best();
}

zp_status zp_apply_isa_force(zp_apply_isa isa, zp_error *err) {
  if (!zp_apply_isa_supported(isa))
    return zp_error_set(err, ZP_EBACKEND, "apply sweep %s: not supported by this build or CPU",
                        zp_apply_isa_name(isa));
  atomic_store(&forced, (int)isa);
  return ZP_OK;
}
