/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief A scan exactly as `zprop scan` runs it, from a parameter set: the
 *  axes and data of its keys, the reference fit, the journal that makes it
 *  resumable, and the table.
 *
 *  The points are computed in aligned blocks of `chunk` indices, each block
 *  as one batch, so a point's result does not depend on which run, process
 *  or machine computed its block: a resumed or distributed scan writes the
 *  same table, byte for byte, as an uninterrupted serial one.  A block is
 *  recorded (appended to OUTPUT.journal, fsync'ed) before it counts as done.
 *
 *  The serial flow is zp_scan_job_create(), zp_scan_job_start(),
 *  zp_scan_job_run(), zp_scan_job_finish(), zp_scan_job_free().  A
 *  coordinator that hands blocks to other processes calls
 *  zp_scan_job_compute_block() there and zp_scan_job_record() here instead
 *  of zp_scan_job_run().
 *
 *  Thread safety: one job must not be used by two threads at once. */
#ifndef ZPROP_SCAN_JOB_H
#define ZPROP_SCAN_JOB_H

#include <stddef.h>

#include "zprop/context.h"
#include "zprop/params.h"
#include "zprop/scan.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A scan and the points known so far. */
typedef struct zp_scan_job zp_scan_job;

/** Called after each recorded block.
 *  @param user the caller's pointer
 *  @param done points known, the journal's included
 *  @param total points of the scan
 *  @return 0 to go on, nonzero to stop (zp_scan_job_run() returns ZP_ESTOPPED) */
typedef int (*zp_scan_progress_fn)(void *user, size_t done, size_t total);

/** What zp_scan_job_start() keeps on disk. */
typedef enum {
  /** Nothing: no journal, and zp_scan_job_finish() writes no table. */
  ZP_SCAN_FILES_NONE = 0,
  /** OUTPUT.journal (resumed, or emptied when resume = restart) and the
   *  table at OUTPUT, as `zprop scan` does; a stream output keeps no journal. */
  ZP_SCAN_FILES_OUTPUT = 1
} zp_scan_files;

/** @brief Checks the keys of a `zprop scan` set and prepares the scan.
 *
 *  Applies the data preset, reads the axes (mzp, gzp and up to 4 keys in
 *  all given as lo:hi:n[:log|linear]; see zprop scan --help), loads the data sets, and checks that
 * the output is writable and is none of the inputs.  Nothing is computed yet.
 *  @param[in,out] p a set made by zp_params_create("scan", ...), borrowed
 *                   until zp_scan_job_free()
 *  @param[out] out the job (zp_scan_job_free())
 *  @param[out] err the one-line message of the first bad key
 *  @return ZP_OK, ZP_EINVAL, ZP_EIO, ZP_EFORMAT or ZP_ENOMEM */
ZP_API zp_status zp_scan_job_create(zp_params *p, zp_scan_job **out, zp_error *err);

/** @brief Fits the plain power law (the reference of delta_chi2) and, with
 *  ZP_SCAN_FILES_OUTPUT, opens the journal and reads its points.
 *  @param[in,out] j the job
 *  @param[in] files what to keep on disk
 *  @param[out] resumed points read from the journal (may be NULL)
 *  @param[out] err message on failure: a journal of other parameters, a
 *                  journal locked by another scan, a failed reference fit
 *  @return ZP_OK, ZP_EINVAL, ZP_EIO or the fit's status */
ZP_API zp_status zp_scan_job_start(zp_scan_job *j, zp_scan_files files, size_t *resumed,
                                   zp_error *err);

/** @brief The plane, g-2 reference and chunk of the job.
 *  @param[in] j the job
 *  @return the spec (owned by @p j); spec->chunk is the block size */
ZP_API const zp_scan_spec *zp_scan_job_spec(const zp_scan_job *j);

/** @brief The reference fit, valid after zp_scan_job_start().
 *  @param[in] j the job
 *  @return the reference (owned by @p j) */
ZP_API const zp_scan_reference *zp_scan_job_reference(const zp_scan_job *j);

/** @brief Dimensions of the scan's grid: mzp and gzp always, and each other
 *  key given as a range, outer first (the order of the table's rows).
 *  @param[in] j the job
 *  @return the count, 2 to 6 */
ZP_API size_t zp_scan_job_naxes(const zp_scan_job *j);

/** @brief One dimension of the grid.
 *  @param[in] j the job
 *  @param[in] d 0 (outer) .. zp_scan_job_naxes() - 1 (inner)
 *  @param[out] key its key ("sum_mnu"), may be NULL
 *  @param[out] column its column in the table ("sum_mnu_eV"), may be NULL
 *  @param[out] axis its values, may be NULL
 *  @return ZP_OK, or ZP_EINVAL for @p d out of range */
ZP_API zp_status zp_scan_job_axis(const zp_scan_job *j, size_t d, const char **key,
                                  const char **column, zp_axis *axis);

/** @brief Rows of the scan: the product of the dimensions' sizes.
 *  @param[in] j the job
 *  @return the count */
ZP_API size_t zp_scan_job_size(const zp_scan_job *j);

/** @brief Blocks of the scan: block b holds model points [b chunk, (b + 1)
 *  chunk), each with its rows (the inner dimensions: sources, gamma, norm).
 *  @param[in] j the job
 *  @return the count */
ZP_API size_t zp_scan_job_nblocks(const zp_scan_job *j);

/** @brief The rows of block @p b: [lo, lo + n), in index order.
 *  @param[in] j the job
 *  @param[in] b a block index
 *  @param[out] lo its first row
 *  @param[out] n its rows: chunk times the rows per model point, fewer for
 *                the last block
 *  @return ZP_OK, or ZP_EINVAL for @p b out of range */
ZP_API zp_status zp_scan_job_block_range(const zp_scan_job *j, size_t b, size_t *lo, size_t *n);

/** @brief Whether every point of block @p b is known.
 *  @param[in] j the job
 *  @param[in] b a block index
 *  @return 1 or 0 (0 also for @p b out of range) */
ZP_API int zp_scan_job_block_done(const zp_scan_job *j, size_t b);

/** @brief Computes block @p b, without recording it.
 *  @param[in,out] ctx the backend (ZP_WORKLOAD_SCAN), this thread only
 *  @param[in] j a started job
 *  @param[in] b the block
 *  @param[out] out its rows, chunk times the rows per model point (fewer
 *                  for the last block), in index order
 *  @param[out] n how many were written
 *  @param[out] err message on failure
 *  @return ZP_OK, ZP_EINVAL (bad block, job not started) or the batch's status */
ZP_API zp_status zp_scan_job_compute_block(zp_context *ctx, const zp_scan_job *j, size_t b,
                                           zp_scan_point *out, size_t *n, zp_error *err);

/** @brief Records computed points: journal first (one write, fsync), then
 *  the job's table of points.
 *  @param[in,out] j the job
 *  @param[in] pts points, each with its index
 *  @param[in] n their count
 *  @param[out] err message on failure
 *  @return ZP_OK, ZP_EINVAL (an index off the grid) or ZP_EIO */
ZP_API zp_status zp_scan_job_record(zp_scan_job *j, const zp_scan_point *pts, size_t n,
                                    zp_error *err);

/** @brief Computes and records every block not yet done, in order.
 *  @param[in,out] ctx the backend (ZP_WORKLOAD_SCAN), this thread only
 *  @param[in,out] j a started job
 *  @param[in] progress called after each block, or NULL
 *  @param[in] user passed to @p progress
 *  @param[out] err message on failure
 *  @return ZP_OK, ZP_ESTOPPED when @p progress asked to stop (the blocks
 *          recorded stay recorded), or the first failure */
ZP_API zp_status zp_scan_job_run(zp_context *ctx, zp_scan_job *j, zp_scan_progress_fn progress,
                                 void *user, zp_error *err);

/** @brief The points, [index]; those not yet known are zero.
 *  @param[in] j the job
 *  @return the array (owned by @p j), zp_scan_job_size() of them */
ZP_API const zp_scan_point *zp_scan_job_points(const zp_scan_job *j);

/** @brief Points known, the journal's included.
 *  @param[in] j the job
 *  @return the count */
ZP_API size_t zp_scan_job_done(const zp_scan_job *j);

/** @brief Ends a complete scan: with ZP_SCAN_FILES_OUTPUT writes the table
 *  to OUTPUT (atomically, as `zprop scan` writes it) and deletes the journal.
 *  @param[in,out] j a job whose every point is known
 *  @param[in] backend the backend named in the header (zp_context_backend_name())
 *  @param[out] err message on failure
 *  @return ZP_OK, ZP_ENUMERIC (a point missing) or ZP_EIO */
ZP_API zp_status zp_scan_job_finish(zp_scan_job *j, const char *backend, zp_error *err);

/** @brief Frees the job; an unfinished journal stays on disk for a resume.
 *  @param[in] j the job, or NULL */
ZP_API void zp_scan_job_free(zp_scan_job *j);

#ifdef __cplusplus
}
#endif
#endif
