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

/** 1 when @p lib is an OpenBLAS whose CBLAS this build can call: both
 *  products, and integers as wide as the blasint of the headers compiled
 *  against (a 64-bit-integer build under the same soname would read every
 *  dimension wrong); else 0 with the reason in failure. */
static int usable(void *lib, const char *candidate, zp_dense_blas *b) {
  char *(*config)(void) = NULL;
  symbol(lib, "cblas_dgemm", &b->dgemm, sizeof b->dgemm);
  symbol(lib, "cblas_dgemv", &b->dgemv, sizeof b->dgemv);
  symbol(lib, "openblas_get_config", &config, sizeof config);
  const char *why = NULL;
  if (b->dgemm == NULL || b->dgemv == NULL) why = "no cblas_dgemm/cblas_dgemv in it";
  else if (config != NULL && (strstr(config(), "USE64BITINT") != NULL) != (sizeof(blasint) == 8))
    why = "its integers are not the width zprop was built for (USE64BITINT)";
  if (why != NULL) snprintf(failure, sizeof failure, "%s: %s", candidate, why);
  return why == NULL;
}

static void load(void) {
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
    void *lib = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
      const char *why = dlerror();
      if (i == 0) snprintf(failure, sizeof failure, "%s", why != NULL ? why : "not found");
      continue;
    }
    zp_dense_blas b;
    if (!usable(lib, candidates[i], &b)) {
      dlclose(lib);
      continue;
    }
    /* the file itself, not the alternatives' links to it (a user asks which build ran) */
    Dl_info info;
    void *at;
    memcpy(&at, &b.dgemm, sizeof at);
    const char *name = dladdr(at, &info) != 0 && info.dli_fname != NULL ? info.dli_fname
                                                                        : candidates[i];
    char *real = realpath(name, NULL);
    snprintf(path, sizeof path, "%s", real != NULL ? real : name);
    free(real);
    b.path = path;
    blas = b; /* kept open for the life of the process */
    break;
  }
  (void)dlerror(); /* no message left pending for the caller's thread */
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
