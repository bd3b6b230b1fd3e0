/* zprop CLI: `mpirun -np K zprop scan ...`, one scan over K processes.
 *
 * Rank 0 coordinates: it keeps the one journal (zp_scan_job_start with
 * ZP_SCAN_FILES_OUTPUT), hands out the blocks not yet done one at a time
 * to whichever worker asks (points near the lines cost more, so a static
 * split would balance badly), records each returned block and writes the
 * table.  Ranks 1..K-1 compute blocks (zp_scan_job_compute_block), each
 * one exactly as a serial run computes it, so the table is byte for byte
 * the serial one for any K.  MPI lives here only, never in the library,
 * and only in the program zprop-mpi (ZP_HAVE_MPI defined): `zprop`, which
 * every other command starts, does not load Open MPI's libraries (1.3 ms
 * of each start); under a launcher it hands the scan to zprop-mpi.
 * SPDX-License-Identifier: MIT */
#ifndef ZP_CLI_SCAN_MPI_H
#define ZP_CLI_SCAN_MPI_H

#include "zprop/params.h"
#include "zprop/scan_job.h"

/** The program with MPI, beside zprop (src/CMakeLists.txt builds it). */
#define ZP_MPI_PROGRAM "zprop-mpi"

/** In `zprop`, started by an MPI launcher: replaces this process by
 *  ZP_MPI_PROGRAM from the same folder with the same @p argv (main's), and
 *  returns the exit status only if that fails, after saying why.  Returns
 *  -1 (go on here) without a launcher, and in zprop-mpi. */
int zp_scan_mpi_handoff(char **argv);

/** Whether this process is one of several started by an MPI launcher
 *  (mpirun, srun): then MPI is initialised here and zp_scan_mpi_run()
 *  must follow.  A process started otherwise never initialises MPI, so a
 *  serial scan is not slowed or made noisy; a job of one process is
 *  initialised, finalised at once and answered 0 (the serial path). */
int zp_scan_mpi_begin(void);

/** Runs the created (not started) @p job of the parameters @p p on every
 *  rank, prints on rank 0 what the serial scan prints, and finalises MPI.
 *  Workers print nothing: their failures reach rank 0, which names them.
 *  @return the exit status of this process */
int zp_scan_mpi_run(zp_params *p, zp_scan_job *job);

#endif
