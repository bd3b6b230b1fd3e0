/* zprop: where the shipped data sets are, for a build tree and an install.
 *
 * An installed zprop keeps its data sets in <prefix>/share/zprop/data; the
 * library finds that folder from the file its own code was loaded from (the
 * shared library, or the program it was linked into statically), so a
 * relocated install needs no setting.  $ZPROP_DATA_DIR overrides it; the
 * build tree falls back to the source folder (ZP_DATA_DIR).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_DATA_DIR_H
#define ZP_DATA_DIR_H

#include <stddef.h>

/** The data directory: $ZPROP_DATA_DIR when set and non-empty; else the
 *  install folder beside the object holding libzprop (zp_data_dir_beside)
 *  when it exists; else ZP_DATA_DIR (zprop/config.h).  Thread-safe while no
 *  thread changes the environment.
 *  @param[out] buf   storage for a directory found beside the object
 *  @param[in]  size  bytes at @p buf
 *  @return the environment's string, @p buf or ZP_DATA_DIR; never NULL. */
const char *zp_data_dir(char *buf, size_t size);

/** The install data folder of the object file @p object_path: its folder
 *  joined with ZP_DATA_FROM_LIBDIR (a library) or ZP_DATA_FROM_BINDIR (a
 *  program), the first that is a directory, written canonical to @p buf.
 *  @param[in]  object_path  path of a loaded library or program
 *  @param[out] buf          the directory found
 *  @param[in]  size         bytes at @p buf
 *  @return 1 when found and it fits in @p buf, else 0 (@p buf unspecified). */
int zp_data_dir_beside(const char *object_path, char *buf, size_t size);

#endif
