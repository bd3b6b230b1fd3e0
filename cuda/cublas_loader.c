/* zprop: run-time loading of cuBLAS. SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "cublas_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zp_cublas_api api;
static char load_error[512];
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym returns void *; POSIX guarantees it converts to a function pointer. */
#define ZP_BIND(field, symbol)                                                                     \
  do {                                                                                             \
    void *p_ = dlsym(lib, symbol);                                                                 \
    if (p_ == NULL) {                                                                              \
      snprintf(load_error, sizeof load_error, "%s has no symbol %s", name, symbol);                \
      return;                                                                                      \
    }                                                                                              \
    memcpy(&api.field, &p_, sizeof p_);                                                            \
  } while (0)

static void load(void) {
  char name[200];
#ifdef ZP_CUBLAS_EMUL_PATH /* tests/emul: the fake module, or the one the test names */
  const char *path = getenv("ZP_EMUL_CUBLAS_PATH");
  snprintf(name, sizeof name, "%s", path != NULL ? path : ZP_CUBLAS_EMUL_PATH);
#else
  snprintf(name, sizeof name, "libcublas.so.%d", CUBLAS_VER_MAJOR);
#endif
  void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    snprintf(load_error, sizeof load_error, "cannot load %s: %s", name, dlerror());
    return;
  }
  ZP_BIND(create, "cublasCreate_v2");
  ZP_BIND(destroy, "cublasDestroy_v2");
  ZP_BIND(dgemv, "cublasDgemv_v2");
  ZP_BIND(dgemm, "cublasDgemm_v2");
  ZP_BIND(dgemm_strided_batched, "cublasDgemmStridedBatched");
  ZP_BIND(status_string, "cublasGetStatusString");
  loaded = 1;
}

const zp_cublas_api *zp_cublas_load(zp_error *err) {
  pthread_once(&once, load);
  if (!loaded) {
    zp_error_set(err, ZP_ECUBLAS, "%s", load_error);
    return NULL;
  }
  return &api;
}
