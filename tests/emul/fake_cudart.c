/* Host emulation of the CUDA runtime calls of cuda/ (see emul.h).  Device
 * allocations are host allocations filled with NaN bytes, so a matrix
 * element the backend never writes shows up in every comparison; copies
 * check their kind against the registry of allocations.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include <cuda_runtime.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emul.h"

typedef struct {
  char *p;
  size_t n;
} alloc;

static alloc *allocs;
static size_t nallocs, cap_allocs, in_use;
static cudaError_t last_error = cudaSuccess;

static const char *const names[] = {"cudaMalloc",   "cudaMemset",         "cudaMemcpy",
                                    "cublasCreate", "cudaGetDeviceCount", "launch"};
enum { NNAMES = sizeof names / sizeof names[0] };
static long calls[NNAMES];

void zp_emul_misuse(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("zp emul: misuse of the CUDA API: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

static long env_long(const char *key, long dflt) {
  const char *v = getenv(key);
  return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

static int name_index(const char *name) {
  for (int i = 0; i < NNAMES; ++i)
    if (strcmp(names[i], name) == 0) return i;
  zp_emul_misuse("unknown counter %s", name);
}

void zp_emul_reset(void) {
  memset(calls, 0, sizeof calls);
  last_error = cudaSuccess;
}

long zp_emul_calls(const char *name) { return calls[name_index(name)]; }

int zp_emul_should_fail(const char *name) {
  long nth = ++calls[name_index(name)];
  const char *spec = getenv("ZP_EMUL_FAIL");
  size_t len = strlen(name);
  for (const char *s = spec; s != NULL && *s != '\0';) {
    if (strncmp(s, name, len) == 0 && s[len] == ':') {
      const char *v = s + len + 1;
      if (*v == '*' || strtol(v, NULL, 10) == nth) return 1;
    }
    s = strchr(s, ',');
    if (s != NULL) ++s;
  }
  return 0;
}

size_t zp_emul_live_allocations(void) { return nallocs; }
size_t zp_emul_bytes_in_use(void) { return in_use; }

int zp_emul_is_device(const void *p, size_t bytes) {
  const char *c = p;
  for (size_t i = 0; i < nallocs; ++i)
    if (c >= allocs[i].p && c <= allocs[i].p + allocs[i].n &&
        bytes <= (size_t)(allocs[i].p + allocs[i].n - c))
      return 1;
  return 0;
}

static int is_any_device(const void *p) { return p != NULL && zp_emul_is_device(p, 0); }

static cudaError_t fail(cudaError_t e) {
  last_error = e;
  return e;
}

/* The state every call first checks, as the runtime initialises lazily. */
static cudaError_t init_status(void) {
  long driver = env_long("ZP_EMUL_DRIVER", 13000);
  if (driver < CUDART_VERSION) return cudaErrorInsufficientDriver;
  if (env_long("ZP_EMUL_DEVICES", 1) < 1) return cudaErrorNoDevice;
  return cudaSuccess;
}

#define ZP_EMUL_INIT()                                                                             \
  do {                                                                                             \
    cudaError_t e_ = init_status();                                                                \
    if (e_ != cudaSuccess) return fail(e_);                                                        \
  } while (0)

const char *cudaGetErrorString(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInsufficientDriver:
      return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
  }
  return "unrecognized error code";
}

cudaError_t cudaGetLastError(void) {
  cudaError_t e = last_error;
  last_error = cudaSuccess;
  return e;
}

cudaError_t cudaGetDeviceCount(int *count) {
  ++calls[name_index("cudaGetDeviceCount")];
  *count = 0;
  ZP_EMUL_INIT();
  *count = (int)env_long("ZP_EMUL_DEVICES", 1);
  return cudaSuccess;
}

cudaError_t cudaGetDevice(int *device) {
  ZP_EMUL_INIT();
  *device = 0;
  return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int *value, enum cudaDeviceAttr attr, int device) {
  ZP_EMUL_INIT();
  if (device < 0 || device >= env_long("ZP_EMUL_DEVICES", 1)) return fail(cudaErrorInvalidDevice);
  const char *cc = getenv("ZP_EMUL_CC");
  int major = 9, minor = 0;
  if (cc != NULL && sscanf(cc, "%d.%d", &major, &minor) != 2) zp_emul_misuse("ZP_EMUL_CC=%s", cc);
  switch (attr) {
    case cudaDevAttrMaxGridDimY:
    case cudaDevAttrMaxGridDimZ: *value = (int)env_long("ZP_EMUL_MAX_GRID_Y", 65535); break;
    case cudaDevAttrComputeCapabilityMajor: *value = major; break;
    case cudaDevAttrComputeCapabilityMinor: *value = minor; break;
    default: return fail(cudaErrorInvalidValue);
  }
  return cudaSuccess;
}

cudaError_t cudaDriverGetVersion(int *version) {
  *version = (int)env_long("ZP_EMUL_DRIVER", 13000);
  return cudaSuccess;
}

cudaError_t cudaRuntimeGetVersion(int *version) {
  *version = CUDART_VERSION;
  return cudaSuccess;
}

cudaError_t cudaMalloc(void **p, size_t bytes) {
  *p = NULL;
  ZP_EMUL_INIT();
  size_t total = (size_t)env_long("ZP_EMUL_MEM_BYTES", 4L << 30);
  if (zp_emul_should_fail("cudaMalloc") || bytes > total - in_use)
    return fail(cudaErrorMemoryAllocation);
  if (nallocs == cap_allocs) {
    size_t cap = cap_allocs ? 2 * cap_allocs : 16;
    alloc *a = realloc(allocs, cap * sizeof *a);
    if (a == NULL) return fail(cudaErrorMemoryAllocation);
    allocs = a;
    cap_allocs = cap;
  }
  char *m = malloc(bytes ? bytes : 1);
  if (m == NULL) return fail(cudaErrorMemoryAllocation);
  memset(m, 0xff, bytes); /* all-ones bytes: a NaN in every double */
  allocs[nallocs++] = (alloc){m, bytes};
  in_use += bytes;
  *p = m;
  return cudaSuccess;
}

cudaError_t cudaFree(void *p) {
  if (p == NULL) return cudaSuccess;
  for (size_t i = 0; i < nallocs; ++i)
    if (allocs[i].p == p) {
      in_use -= allocs[i].n;
      free(p);
      allocs[i] = allocs[--nallocs];
      return cudaSuccess;
    }
  zp_emul_misuse("cudaFree(%p): not a live device allocation", p);
}

/* A copy of @p bytes (rows x width at the pitches) of the given kind. */
static void check_copy(void *dst, size_t dspan, const void *src, size_t sspan, cudaMemcpyKind kind,
                       const char *call) {
  int dst_dev = kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
  int src_dev = kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
  if (kind != cudaMemcpyHostToDevice && kind != cudaMemcpyDeviceToHost &&
      kind != cudaMemcpyDeviceToDevice)
    zp_emul_misuse("%s: kind %d (the backend names every direction)", call, (int)kind);
  if (dst_dev ? !zp_emul_is_device(dst, dspan) : is_any_device(dst))
    zp_emul_misuse("%s: destination %p (%zu bytes) is not %s memory", call, dst, dspan,
                   dst_dev ? "one device allocation's" : "host");
  if (src_dev ? !zp_emul_is_device(src, sspan) : is_any_device(src))
    zp_emul_misuse("%s: source %p (%zu bytes) is not %s memory", call, src, sspan,
                   src_dev ? "one device allocation's" : "host");
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind) {
  ZP_EMUL_INIT();
  if (zp_emul_should_fail("cudaMemcpy")) return fail(cudaErrorInvalidValue);
  if (bytes == 0) return cudaSuccess;
  check_copy(dst, bytes, src, bytes, kind, "cudaMemcpy");
  memmove(dst, src, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width,
                         size_t height, cudaMemcpyKind kind) {
  ZP_EMUL_INIT();
  if (zp_emul_should_fail("cudaMemcpy")) return fail(cudaErrorInvalidValue);
  if (width > dpitch || width > spitch)
    zp_emul_misuse("cudaMemcpy2D: width %zu beyond a pitch (%zu, %zu)", width, dpitch, spitch);
  if (width == 0 || height == 0) return cudaSuccess;
  check_copy(dst, dpitch * (height - 1) + width, src, spitch * (height - 1) + width, kind,
             "cudaMemcpy2D");
  for (size_t r = 0; r < height; ++r)
    memmove((char *)dst + r * dpitch, (const char *)src + r * spitch, width);
  return cudaSuccess;
}

cudaError_t cudaMemset(void *p, int value, size_t bytes) {
  ZP_EMUL_INIT();
  if (zp_emul_should_fail("cudaMemset")) return fail(cudaErrorInvalidValue);
  if (bytes == 0) return cudaSuccess;
  if (!zp_emul_is_device(p, bytes))
    zp_emul_misuse("cudaMemset(%p, %zu bytes): not device memory", p, bytes);
  memset(p, value, bytes);
  return cudaSuccess;
}

cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes) {
  ZP_EMUL_INIT();
  *total_bytes = (size_t)env_long("ZP_EMUL_MEM_BYTES", 4L << 30);
  *free_bytes = *total_bytes - in_use;
  return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize(void) {
  ZP_EMUL_INIT();
  return cudaSuccess;
}

/* Limits of a launch as a device of compute capability >= 8.0 has them. */
int zp_emul_launch_check(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                         unsigned bz) {
  ++calls[name_index("launch")];
  unsigned long long threads = (unsigned long long)bx * by * bz;
  unsigned long maxyz = (unsigned long)env_long("ZP_EMUL_MAX_GRID_Y", 65535);
  if (init_status() != cudaSuccess || gx < 1 || gy < 1 || gz < 1 || gy > maxyz || gz > maxyz ||
      threads < 1 || threads > 1024 || bz > 64) {
    last_error = cudaErrorInvalidConfiguration;
    return 0;
  }
  return 1;
}

/* ZP_EMUL_REPORT=1: call counts on stderr at exit, for tests that run the CLI. */
__attribute__((destructor)) static void report(void) {
  const char *r = getenv("ZP_EMUL_REPORT");
  if (r == NULL || strcmp(r, "1") != 0) return;
  for (int i = 0; i < NNAMES; ++i) fprintf(stderr, "zp emul: %s calls: %ld\n", names[i], calls[i]);
}
