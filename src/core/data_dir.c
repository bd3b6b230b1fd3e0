/* zprop: finding the data directory (see data_dir.h).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* dladdr1, RTLD_DL_LINKMAP */

#include "core/data_dir.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zprop/config.h"

/* Any object of the library: its address tells which loaded file holds it. */
static const char anchor;

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Copies @p src into @p out when it fits. */
static int copy_path(char *out, size_t size, const char *src) {
  size_t n = strlen(src);
  if (n >= size) return 0;
  memcpy(out, src, n + 1);
  return 1;
}

/* The file holding this code.  The main program's link-map entry has an
 * empty name (dladdr would give argv[0], which may be a bare name found on
 * PATH), so a statically linked library asks /proc for the program. */
static int object_path(char *out, size_t size) {
  Dl_info info;
  struct link_map *map = NULL;
  if (dladdr1(&anchor, &info, (void **)&map, RTLD_DL_LINKMAP) == 0 || map == NULL) return 0;
  if (map->l_name != NULL && map->l_name[0] != '\0') return copy_path(out, size, map->l_name);
  ssize_t n = readlink("/proc/self/exe", out, size - 1);
  if (n <= 0 || (size_t)n >= size - 1) return 0;
  out[n] = '\0';
  return 1;
}

int zp_data_dir_beside(const char *object_path, char *buf, size_t size) {
  const char *slash = object_path != NULL ? strrchr(object_path, '/') : NULL;
  if (slash == NULL || buf == NULL || size == 0) return 0;
  /* A symbolic link to the library or program counts from where it points. */
  char *real = realpath(object_path, NULL);
  const char *obj = real != NULL ? real : object_path;
  int folder = (int)(strrchr(obj, '/') - obj);
  const char *rel[] = {ZP_DATA_FROM_LIBDIR, ZP_DATA_FROM_BINDIR};
  int found = 0;
  for (size_t i = 0; i < sizeof rel / sizeof rel[0] && !found; ++i) {
    char candidate[PATH_MAX];
    int n = snprintf(candidate, sizeof candidate, "%.*s/%s", folder, obj, rel[i]);
    if (n < 0 || (size_t)n >= sizeof candidate || !is_dir(candidate)) continue;
    char *canonical = realpath(candidate, NULL);
    found = canonical != NULL && copy_path(buf, size, canonical);
    free(canonical);
  }
  free(real);
  return found;
}

const char *zp_data_dir(char *buf, size_t size) {
  const char *env = getenv("ZPROP_DATA_DIR");
  if (env != NULL && *env != '\0') return env;
  char object[PATH_MAX];
  if (object_path(object, sizeof object) && zp_data_dir_beside(object, buf, size)) return buf;
  return ZP_DATA_DIR;
}
