/* zprop tests: shared helpers. */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int zp_test_close(double a, double b, double tol) {
  double scale = fmax(fmax(fabs(a), fabs(b)), 1e-300);
  return fabs(a - b) <= tol * scale;
}

int zp_test_run_cli(const char *args, char *errbuf, size_t errcap) {
  char errpath[] = "/tmp/zp_test_err_XXXXXX";
  int fd = mkstemp(errpath);
  if (fd < 0) return -1;
  close(fd);
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s 2>%s", ZP_TEST_CLI, args, errpath);
  int status = system(cmd);
  if (errbuf != NULL && errcap > 0) {
    errbuf[0] = '\0';
    FILE *f = fopen(errpath, "r");
    if (f != NULL) {
      size_t n = fread(errbuf, 1, errcap - 1, f);
      errbuf[n] = '\0';
      fclose(f);
    }
  }
  unlink(errpath);
  if (status == -1) return -1;
  return WEXITSTATUS(status);
}

const char *zp_test_tmpdir(void) {
  static char path[64];
  strcpy(path, "/tmp/zp_test_XXXXXX");
  if (mkdtemp(path) == NULL) return "/tmp";
  return path;
}
