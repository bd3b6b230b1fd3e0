/* zprop: OpenBLAS opened on first use (dense_blas.h).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* dladdr */

#include "backends/dense_blas.h"
#include "zp_openblas_location.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ZP_OPENBLAS_SONAME and ZP_OPENBLAS_DIR come from the configuration
 * (CMakeLists.txt): the soname first, as the system resolves it
 * (alternatives, LD_LIBRARY_PATH), then the folder configured against. */
static const char *const candidates[] = {ZP_OPENBLAS_SONAME,
                                         ZP_OPENBLAS_DIR "/" ZP_OPENBLAS_SONAME};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static zp_dense_blas blas;
static char path[4096];
static char failure[512];

/** dlsym's object pointer as a function pointer without a cast between the
 *  two kinds, which ISO C leaves undefined (POSIX guarantees the bytes). */
static void symbol(void *lib, const char *name, void *fn, size_t size) {
  void *p = dlsym(lib, name);
  memcpy(fn, &p, size);
}

static void load(void) {
  void *lib = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0] && lib == NULL; i++) {
    lib = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL && i == 0) {
      const char *why = dlerror();
      snprintf(failure, sizeof failure, "%s", why != NULL ? why : "not found");
    }
  }
  if (lib == NULL) return;
  zp_dense_blas b;
  symbol(lib, "cblas_dgemm", &b.dgemm, sizeof b.dgemm);
  symbol(lib, "cblas_dgemv", &b.dgemv, sizeof b.dgemv);
  Dl_info info;
  void *at;
  memcpy(&at, &b.dgemm, sizeof at);
  if (b.dgemm == NULL || b.dgemv == NULL) {
    snprintf(failure, sizeof failure, "no cblas_dgemm/cblas_dgemv in it");
    return;
  }
  /* the file itself, not the alternatives' links to it (a user asks which build ran) */
  const char *name = dladdr(at, &info) != 0 && info.dli_fname != NULL ? info.dli_fname
                                                                      : ZP_OPENBLAS_SONAME;
  char *real = realpath(name, NULL);
  snprintf(path, sizeof path, "%s", real != NULL ? real : name);
  free(real);
  b.path = path;
  blas = b;
}

zp_status zp_dense_blas_get(const zp_dense_blas **out, zp_error *err) {
  *out = NULL;
  pthread_once(&once, load);
  if (blas.dgemm == NULL)
    return zp_error_set(err, ZP_EBACKEND, "backend = cpu needs OpenBLAS (%s): %s",
                        ZP_OPENBLAS_SONAME, failure);
  *out = &blas;
  return ZP_OK;
}
