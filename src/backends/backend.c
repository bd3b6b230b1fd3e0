/* zprop: backend selection and creation (the backends themselves are in
 * backend_cpu.c, backend_cpu_fast.c and cuda/).  A binary built with CUDA
 * still runs without a usable GPU: AUTO then falls back to the CPU,
 * whatever step of the CUDA set-up failed, and says why once.
 * SPDX-License-Identifier: MIT */
#include "backends/backend.h"
#include "backends/dense_blas.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "zprop/config.h"
#include "zprop/spectrum.h"

#ifdef ZP_HAVE_CUDA
#include "cuda_backend.h"
#endif

/* AUTO's size rule.  The GPU must first repay its set-up: a CUDA context
 * and a cuBLAS handle take 0.3-1.5 s, while cpu_fast needs about 3e-8 s
 * per (point, right-hand side, state, shell) (measured: 64 points x 6
 * gammas of 1080 states and 18 shells in 0.23 s on 2 cores).  So a batch
 * goes to the GPU when its cpu_fast estimate exceeds 1 s; the default
 * single spectrum (0.005-0.024 s) never does.  Nor does any single
 * spectrum: applied shell by shell with a host round trip (>= ~50 us per
 * shell) and a dense O(N^2) product, the GPU cannot beat cpu_fast's O(N)
 * for any N.  A scan is many chunks on one backend: always worth it. */
#define ZP_CPU_FAST_SECONDS_PER_UNIT 3e-8
#define ZP_GPU_SETUP_SECONDS 1.0

int zp_backend_gpu_pays(const zp_backend_work *w) {
  if (w->shape == ZP_WORK_SCAN) return 1;
  if (w->shape == ZP_WORK_SPECTRUM) return 0;
  double units = (double)w->npoints * (double)w->nrhs * 3.0 * (double)w->nbins * (double)w->nshells;
  return ZP_CPU_FAST_SECONDS_PER_UNIT * units > ZP_GPU_SETUP_SECONDS;
}

#ifdef ZP_HAVE_CUDA
/* Notices are read after the call returns (zp_spectrum.backend_notice), and
 * their causes vary, so each distinct text is kept for the process's life. */
#define ZP_NOTICES 16
static char notices[ZP_NOTICES][ZP_ERROR_MSG_SIZE + 96];
static int nnotices;
static pthread_mutex_t notice_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *fallback_notice(const char *cause) {
  char text[sizeof notices[0]];
  snprintf(text, sizeof text, "CUDA not usable (%s), using the CPU backend (cpu_fast)", cause);
  const char *kept = "CUDA not usable, using the CPU backend (cpu_fast)";
  pthread_mutex_lock(&notice_lock);
  int i = 0;
  while (i < nnotices && strcmp(notices[i], text) != 0) ++i;
  if (i == nnotices && nnotices < ZP_NOTICES) memcpy(notices[nnotices++], text, sizeof text);
  if (i < nnotices) kept = notices[i];
  pthread_mutex_unlock(&notice_lock);
  return kept;
}

static const char small_notice[] =
    "the problem is too small to repay the GPU's set-up, using the CPU backend (cpu_fast)";

/* The CUDA backend or, with the reason in why, none. */
static zp_status cuda_try(size_t nbins, zp_backend **out, char *why, size_t len, zp_error *err) {
  *out = NULL;
  if (!zp_cuda_usable(why, len)) return ZP_EBACKEND;
  zp_status st = zp_backend_cuda_create(nbins, out, err);
  if (st != ZP_OK) snprintf(why, len, "%s", err != NULL ? err->msg : zp_strerror(st));
  return st;
}
#endif

static atomic_ulong creations;

unsigned long zp_backend_creations(void) { return atomic_load(&creations); }

#ifndef ZP_HAVE_CUDA
static const char no_cuda_build[] =
    "backend = cuda: this build has no CUDA support; allowed here: auto, cpu, cpu_fast";
#endif

static const char *kind_name(zp_backend_kind kind) {
  return kind == ZP_BACKEND_CPU ? "cpu" : kind == ZP_BACKEND_CUDA ? "cuda" : "cpu_fast";
}

/* A scan's choice: cpu and cpu_fast as asked, else CUDA when every set-up
 * step succeeds for nbins bins (then *made is that backend), else for AUTO
 * cpu_fast saying why; kind = cuda fails with the reason. */
static zp_status scan_choice(zp_backend_kind kind, size_t nbins, zp_backend_kind *chosen,
                             const char **notice, zp_backend **made, zp_error *err) {
  *made = NULL;
  *notice = NULL;
  *chosen = kind == ZP_BACKEND_CPU ? ZP_BACKEND_CPU : ZP_BACKEND_CPU_FAST;
  if (kind == ZP_BACKEND_CPU) {
    const zp_dense_blas *blas; /* a missing OpenBLAS said now, not once the scan runs */
    return zp_dense_blas_get(&blas, err);
  }
  if (kind == ZP_BACKEND_CPU_FAST) return ZP_OK;
#ifdef ZP_HAVE_CUDA
  char why[ZP_ERROR_MSG_SIZE];
  zp_error inner;
  if (cuda_try(nbins, made, why, sizeof why, &inner) == ZP_OK) {
    *chosen = ZP_BACKEND_CUDA;
    return ZP_OK;
  }
  if (kind == ZP_BACKEND_CUDA)
    return zp_error_set(
        err, ZP_EBACKEND,
        "backend = cuda: no usable CUDA device (%s); allowed here: auto, cpu, cpu_fast", why);
  *notice = fallback_notice(why);
#else
  (void)nbins;
  if (kind == ZP_BACKEND_CUDA) return zp_error_set(err, ZP_EBACKEND, no_cuda_build);
  *notice = "built without CUDA, using the CPU backend (cpu_fast)";
#endif
  return ZP_OK;
}

zp_status zp_backend_resolve(zp_backend_kind kind, const char **name, const char **notice,
                             zp_error *err) {
  /* Every set-up step (on a 1-bin trial), so that what is said up front
   * holds for the run. */
  zp_backend_kind chosen;
  zp_backend *trial;
  zp_status st = scan_choice(kind, 1, &chosen, notice, &trial, err);
  zp_backend_destroy(trial);
  *name = kind_name(chosen);
  return st;
}

zp_status zp_backend_create_scan(zp_backend_kind kind, size_t nbins, zp_backend_kind *chosen,
                                 const char **notice, zp_backend **out, zp_error *err) {
  zp_status st = scan_choice(kind, nbins, chosen, notice, out, err);
  if (st != ZP_OK || *out != NULL) {
    if (st == ZP_OK) atomic_fetch_add(&creations, 1);
    return st;
  }
  return zp_backend_create_kind(*chosen, nbins, out, err);
}

zp_status zp_backend_create_kind(zp_backend_kind kind, size_t nbins, zp_backend **out,
                                 zp_error *err) {
  *out = NULL;
  zp_status st;
  if (kind == ZP_BACKEND_CPU) {
    st = zp_backend_cpu_create(nbins, out, err);
  } else if (kind == ZP_BACKEND_CPU_FAST) {
    st = zp_backend_cpu_fast_create(nbins, out, err);
  } else {
#ifdef ZP_HAVE_CUDA
    char why[ZP_ERROR_MSG_SIZE];
    zp_error inner;
    st = cuda_try(nbins, out, why, sizeof why, &inner);
    if (st == ZP_EBACKEND)
      return zp_error_set(
          err, ZP_EBACKEND,
          "backend = cuda: no usable CUDA device (%s); allowed here: auto, cpu, cpu_fast", why);
    if (st != ZP_OK && err != NULL) *err = inner;
#else
    return zp_error_set(err, ZP_EBACKEND, no_cuda_build);
#endif
  }
  if (st == ZP_OK) atomic_fetch_add(&creations, 1);
  return st;
}

zp_status zp_backend_choose(zp_backend_kind kind, const zp_backend_work *w, zp_backend_kind *chosen,
                            const char **notice, zp_backend **made, zp_error *err) {
  *made = NULL;
  *notice = NULL;
  *chosen = kind;
  if (kind == ZP_BACKEND_CPU || kind == ZP_BACKEND_CPU_FAST) return ZP_OK;
  if (kind == ZP_BACKEND_CUDA) return zp_backend_create_kind(kind, w->nbins, made, err);
  *chosen = ZP_BACKEND_CPU_FAST;
#ifdef ZP_HAVE_CUDA
  if (!zp_backend_gpu_pays(w)) {
    *notice = small_notice;
    return ZP_OK;
  }
  /* Every set-up step: a device that fails any of them is not usable. */
  char why[ZP_ERROR_MSG_SIZE];
  zp_error inner;
  if (cuda_try(w->nbins, made, why, sizeof why, &inner) == ZP_OK) {
    atomic_fetch_add(&creations, 1);
    *chosen = ZP_BACKEND_CUDA;
  } else {
    *notice = fallback_notice(why);
  }
#else
  *notice = "built without CUDA, using the CPU backend (cpu_fast)";
#endif
  return ZP_OK;
}

zp_status zp_backend_create_for(zp_backend_kind kind, const zp_backend_work *w, zp_backend **out,
                                const char **notice, zp_error *err) {
  zp_backend_kind chosen;
  const char *said;
  zp_status st = zp_backend_choose(kind, w, &chosen, &said, out, err);
  if (notice != NULL) *notice = said;
  if (st == ZP_OK && *out == NULL) st = zp_backend_create_kind(chosen, w->nbins, out, err);
  return st;
}

zp_status zp_backend_create(zp_backend_kind kind, size_t nbins, zp_backend **out,
                            const char **notice, zp_error *err) {
  zp_backend_work w = {ZP_WORK_SPECTRUM, 1, 1, nbins, 0};
  return zp_backend_create_for(kind, &w, out, notice, err);
}

void zp_backend_destroy(zp_backend *bk) {
  if (bk != NULL) bk->ops->destroy(bk);
}
