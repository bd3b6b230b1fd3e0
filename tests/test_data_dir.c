/* zprop tests: where the library looks for its data sets (core/data_dir.h):
 * $ZPROP_DATA_DIR first, then an install's share/zprop/data beside the
 * library or program, then the source tree.  tests/install_check.sh runs the
 * installed library and program for real.
 * SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* realpath */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/data_dir.h"
#include "support.h"
#include "zprop/config.h"

/* Makes <root>/o1/o2/o3/<object> (an empty file) and, when @p with_data, the
 * folder @p rel from it; writes the object's path to @p object. */
static void make_layout(const char *root, const char *rel, int with_data, char *object,
                        size_t size) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/o1/o2/o3' && touch '%s/o1/o2/o3/object'", root, root);
  cr_assert_eq(system(cmd), 0);
  if (with_data) {
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/o1/o2/o3/%s'", root, rel);
    cr_assert_eq(system(cmd), 0);
  }
  snprintf(object, size, "%s/o1/o2/o3/object", root);
}

/* The canonical path of <root>/o1/o2/o3/<rel>. */
static void expected_dir(const char *root, const char *rel, char *out) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/o1/o2/o3/%s", root, rel);
  cr_assert_not_null(realpath(path, out), "%s", path);
}

Test(data_dir, environment_wins_even_when_missing) {
  cr_assert_eq(setenv("ZPROP_DATA_DIR", "/nonexistent/zprop-data", 1), 0);
  char buf[PATH_MAX];
  cr_assert_str_eq(zp_data_dir(buf, sizeof buf), "/nonexistent/zprop-data");
}

Test(data_dir, empty_or_unset_environment_falls_back_to_the_source_tree) {
  /* A test program of the build tree has no share/zprop/data beside it. */
  char buf[PATH_MAX];
  cr_assert_eq(setenv("ZPROP_DATA_DIR", "", 1), 0);
  cr_assert_str_eq(zp_data_dir(buf, sizeof buf), ZP_DATA_DIR);
  cr_assert_eq(unsetenv("ZPROP_DATA_DIR"), 0);
  cr_assert_str_eq(zp_data_dir(buf, sizeof buf), ZP_DATA_DIR);
}

/* An object in a folder with @p rel beside it finds that folder. */
static void check_found(const char *rel) {
  const char *root = zp_test_tmpdir();
  char object[PATH_MAX], want[PATH_MAX], got[PATH_MAX];
  make_layout(root, rel, 1, object, sizeof object);
  expected_dir(root, rel, want);
  cr_assert_eq(zp_data_dir_beside(object, got, sizeof got), 1, "%s", rel);
  cr_assert_str_eq(got, want);
  zp_test_remove_dir(root);
}

Test(data_dir, found_beside_a_program) { check_found(ZP_DATA_FROM_BINDIR); }

Test(data_dir, found_beside_a_library) { check_found(ZP_DATA_FROM_LIBDIR); }

Test(data_dir, a_link_to_the_program_counts_from_its_target) {
  const char *root = zp_test_tmpdir();
  char object[PATH_MAX], want[PATH_MAX], got[PATH_MAX], link[PATH_MAX];
  make_layout(root, ZP_DATA_FROM_BINDIR, 1, object, sizeof object);
  expected_dir(root, ZP_DATA_FROM_BINDIR, want);
  snprintf(link, sizeof link, "%s/zprop-link", root);
  cr_assert_eq(symlink(object, link), 0);
  cr_assert_eq(zp_data_dir_beside(link, got, sizeof got), 1);
  cr_assert_str_eq(got, want);
  zp_test_remove_dir(root);
}

Test(data_dir, not_found_without_the_folder_or_room) {
  const char *root = zp_test_tmpdir();
  char object[PATH_MAX], got[PATH_MAX];
  make_layout(root, ZP_DATA_FROM_BINDIR, 0, object, sizeof object);
  cr_assert_eq(zp_data_dir_beside(object, got, sizeof got), 0);
  cr_assert_eq(zp_data_dir_beside("zprop", got, sizeof got), 0, "no folder in the path");
  cr_assert_eq(zp_data_dir_beside(NULL, got, sizeof got), 0);
  zp_test_remove_dir(root);
  root = zp_test_tmpdir();
  make_layout(root, ZP_DATA_FROM_BINDIR, 1, object, sizeof object);
  cr_assert_eq(zp_data_dir_beside(object, got, 8), 0, "the folder does not fit in 8 bytes");
  zp_test_remove_dir(root);
}
