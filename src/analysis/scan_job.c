/* zprop: a scan as `zprop scan` runs it (zprop/scan_job.h).
 *
 * Blocks are whole aligned runs of chunk model points, each with all its
 * rows.  zp_scan_grid_run() fills each batch with the next chunk model
 * points not skipped, so skipping whole blocks makes its batches exactly
 * these blocks, whether the run is
 * uninterrupted, resumed, or given one block by a coordinator.
 * SPDX-License-Identifier: MIT */
#include "zprop/scan_job.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/fit_setup.h"
#include "analysis/output_check.h"
#include "analysis/scan_axes.h"
#include "analysis/scan_journal.h"
#include "analysis/scan_run.h"
#include "analysis/scan_table.h"
#include "analysis/table_writer.h"

struct zp_scan_job {
  zp_params *p; /* borrowed */
  zp_fit_setup s;
  zp_scan_grid grid;
  zp_scan_spec spec; /* its mzp and gzp; spec.chunk: model points per block, never 0 */
  size_t total, nblocks, ndone;
  zp_scan_point *pts;  /* [total] */
  unsigned char *have; /* [total] */
  zp_scan_reference ref;
  int started;
  zp_scan_files files;
  int use_journal;
  zp_journal journal;
};

/* Rows [lo, hi) of block b: chunk model points, each with all its rows. */
static void block_rows(const zp_scan_job *j, size_t b, size_t *lo, size_t *hi) {
  size_t m0 = b * j->spec.chunk, m1 = m0 + j->spec.chunk;
  if (m1 > j->grid.nmodel) m1 = j->grid.nmodel;
  *lo = m0 * j->grid.ninner;
  *hi = m1 * j->grid.ninner;
}

zp_status zp_scan_job_create(zp_params *p, zp_scan_job **out, zp_error *err) {
  *out = NULL;
  if (p == NULL || p->mode != &zp_mode_scan)
    return zp_error_set(err, ZP_EINVAL, "a scan job needs the parameters of `zprop scan`");
  zp_scan_job *j = calloc(1, sizeof *j);
  if (j == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory");
  j->p = p;
  j->journal.fd = -1;
  zp_status st = zp_fit_apply_preset(p, err);
  if (st == ZP_OK) st = zp_scan_axes_build(p, &j->grid, err);
  if (st == ZP_OK) {
    j->spec.mzp = j->grid.dim[j->grid.imzp].axis;
    j->spec.gzp = j->grid.dim[j->grid.igzp].axis;
  }
  if (st == ZP_OK) st = zp_fit_setup_build(p, &j->s, err);
  if (st == ZP_OK) st = zp_output_check(p, &j->s, err);
  j->spec.gm2_ref = (zp_gm2_ref)p->fit.gm2_ref;
  j->spec.chunk = p->fit.chunk > 0 ? (size_t)p->fit.chunk : ZP_SCAN_DEFAULT_CHUNK;
  j->total = j->grid.total;
  j->nblocks = (j->grid.nmodel + j->spec.chunk - 1) / j->spec.chunk;
  if (st == ZP_OK) {
    j->pts = calloc(j->total, sizeof *j->pts);
    j->have = calloc(j->total, 1);
    if (j->pts == NULL || j->have == NULL)
      st = zp_error_set(err, ZP_ENOMEM, "out of memory for %zu points", j->total);
  }
  if (st != ZP_OK) {
    zp_scan_job_free(j);
    return st;
  }
  *out = j;
  return ZP_OK;
}

zp_status zp_scan_job_start(zp_scan_job *j, zp_scan_files files, size_t *resumed, zp_error *err) {
  if (resumed != NULL) *resumed = 0;
  if (j->started) return zp_error_set(err, ZP_EINVAL, "the scan job is already started");
  zp_params *p = j->p;
  j->files = files;
  /* A stream (stdout, a device, a FIFO) has no directory entry of its own
   * to keep a journal beside: /dev/null.journal is nobody's file. */
  j->use_journal = files == ZP_SCAN_FILES_OUTPUT && !zp_table_is_stream(p->output);
  zp_status st = ZP_OK;
  if (j->use_journal) {
    st = zp_journal_init(&j->journal, p, &j->s, p->output, err);
    if (st == ZP_OK) st = zp_output_check_not_input(p, &j->s, j->journal.path, err);
  }
  /* The reference fit first: when it fails (say, a data bin outside the
   * energy grid) no journal is left behind to refuse the corrected run. */
  if (st == ZP_OK) st = zp_scan_reference_fit(&p->cfg, &j->s.opts, &j->ref, err);
  size_t nread = 0;
  if (st == ZP_OK && j->use_journal)
    st = zp_journal_open(&j->journal, &j->grid, p->fit.resume == ZP_RESUME_RESTART, j->pts, j->have,
                         &nread, err);
  if (st != ZP_OK) return st;
  /* Points of a block the journal holds only in part are computed again
   * with their block, so that every block is one batch. */
  j->ndone = 0;
  for (size_t b = 0; b < j->nblocks; b++) {
    size_t lo, hi;
    block_rows(j, b, &lo, &hi);
    size_t i = lo;
    while (i < hi && j->have[i]) i++;
    if (i == hi) j->ndone += hi - lo;
    else memset(j->have + lo, 0, hi - lo);
  }
  if (resumed != NULL) *resumed = j->ndone;
  j->started = 1;
  return ZP_OK;
}

const zp_scan_spec *zp_scan_job_spec(const zp_scan_job *j) { return &j->spec; }
const zp_scan_reference *zp_scan_job_reference(const zp_scan_job *j) { return &j->ref; }
size_t zp_scan_job_size(const zp_scan_job *j) { return j->total; }
size_t zp_scan_job_nblocks(const zp_scan_job *j) { return j->nblocks; }

zp_status zp_scan_job_block_range(const zp_scan_job *j, size_t b, size_t *lo, size_t *n) {
  *lo = *n = 0;
  if (b >= j->nblocks) return ZP_EINVAL;
  size_t hi;
  block_rows(j, b, lo, &hi);
  *n = hi - *lo;
  return ZP_OK;
}
size_t zp_scan_job_done(const zp_scan_job *j) { return j->ndone; }
const zp_scan_point *zp_scan_job_points(const zp_scan_job *j) { return j->pts; }

int zp_scan_job_block_done(const zp_scan_job *j, size_t b) {
  size_t lo, n;
  return zp_scan_job_block_range(j, b, &lo, &n) == ZP_OK && j->have[lo];
}

size_t zp_scan_job_naxes(const zp_scan_job *j) { return j->grid.ndim; }

zp_status zp_scan_job_axis(const zp_scan_job *j, size_t d, const char **key, const char **column,
                           zp_axis *axis) {
  if (d >= j->grid.ndim) return ZP_EINVAL;
  if (key != NULL) *key = zp_params_key_name(j->grid.dim[d].key);
  if (column != NULL) *column = zp_scan_column_name(j->grid.dim[d].key);
  if (axis != NULL) *axis = j->grid.dim[d].axis;
  return ZP_OK;
}

zp_status zp_scan_job_record(zp_scan_job *j, const zp_scan_point *pts, size_t n, zp_error *err) {
  for (size_t i = 0; i < n; i++)
    if (pts[i].index >= j->total)
      return zp_error_set(err, ZP_EINVAL, "scan point %zu is off the grid of %zu points",
                          pts[i].index, j->total);
  /* Journal first: a point counts as done only once it is on disk. */
  if (j->use_journal) {
    zp_status st = zp_journal_append(&j->journal, pts, n, err);
    if (st != ZP_OK) return st;
  }
  for (size_t i = 0; i < n; i++) {
    j->ndone += !j->have[pts[i].index];
    j->pts[pts[i].index] = pts[i];
    j->have[pts[i].index] = 1;
  }
  return ZP_OK;
}

/* ------------------------------------------------------------ computing */

typedef struct {
  zp_scan_point *out; /* compute_block: where the block goes */
  size_t n;
  zp_scan_job *job; /* run: where the blocks are recorded */
  zp_scan_progress_fn progress;
  void *user;
  int stopped;
  zp_error *err;
} block_sink;

static int collect(void *user, const zp_scan_point *pts, size_t n) {
  block_sink *s = user;
  memcpy(s->out + s->n, pts, n * sizeof *pts);
  s->n += n;
  return 0;
}

static int record(void *user, const zp_scan_point *pts, size_t n) {
  block_sink *s = user;
  if (zp_scan_job_record(s->job, pts, n, s->err) != ZP_OK) return 1;
  if (s->progress != NULL && s->progress(s->user, s->job->ndone, s->job->total) != 0) {
    s->stopped = 1;
    zp_error_set(s->err, ZP_ESTOPPED, "scan stopped by the caller after %zu of %zu points",
                 s->job->ndone, s->job->total);
    return 1;
  }
  return 0;
}

static zp_status run_masked(zp_context *ctx, const zp_scan_job *j, const unsigned char *skip,
                            zp_scan_sink sink, void *user, zp_error *err) {
  return zp_scan_grid_run(ctx, &j->p->cfg, &j->s.opts, &j->grid, j->spec.gm2_ref, j->spec.chunk,
                          &j->ref, skip, sink, user, err);
}

zp_status zp_scan_job_compute_block(zp_context *ctx, const zp_scan_job *j, size_t b,
                                    zp_scan_point *out, size_t *n, zp_error *err) {
  *n = 0;
  if (!j->started) return zp_error_set(err, ZP_EINVAL, "the scan job is not started");
  size_t lo, rows;
  if (zp_scan_job_block_range(j, b, &lo, &rows) != ZP_OK)
    return zp_error_set(err, ZP_EINVAL, "block %zu of a scan of %zu blocks", b, j->nblocks);
  unsigned char *skip = malloc(j->total);
  if (skip == NULL) return zp_error_set(err, ZP_ENOMEM, "out of memory for %zu points", j->total);
  memset(skip, 1, j->total);
  memset(skip + lo, 0, rows);
  zp_error_clear(err);
  block_sink s = {.out = out, .err = err};
  zp_status st = run_masked(ctx, j, skip, collect, &s, err);
  free(skip);
  *n = s.n;
  return st;
}

zp_status zp_scan_job_run(zp_context *ctx, zp_scan_job *j, zp_scan_progress_fn progress, void *user,
                          zp_error *err) {
  if (!j->started) return zp_error_set(err, ZP_EINVAL, "the scan job is not started");
  zp_error_clear(err);
  block_sink s = {.job = j, .progress = progress, .user = user, .err = err};
  /* have[] holds whole blocks only (zp_scan_job_start), so it is the mask. */
  zp_status st = run_masked(ctx, j, j->have, record, &s, err);
  return s.stopped ? ZP_ESTOPPED : st;
}

zp_status zp_scan_job_finish(zp_scan_job *j, const char *backend, zp_error *err) {
  for (size_t i = 0; i < j->total; i++)
    if (!j->have[i]) return zp_error_set(err, ZP_ENUMERIC, "scan point %zu was not computed", i);
  if (j->files != ZP_SCAN_FILES_OUTPUT) return ZP_OK;
  zp_scan_table t = {j->p, &j->s, &j->spec, &j->grid, &j->ref, j->pts, backend};
  zp_status st = zp_table_emit(j->p->output, zp_scan_table_write, &t, err);
  if (st == ZP_OK && j->use_journal) st = zp_journal_remove(&j->journal, err);
  return st;
}

void zp_scan_job_free(zp_scan_job *j) {
  if (j == NULL) return;
  zp_journal_close(&j->journal);
  zp_fit_setup_free(&j->s);
  free(j->pts);
  free(j->have);
  free(j);
}
