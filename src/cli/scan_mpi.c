/* zprop CLI: one scan over the ranks of an MPI job (scan_mpi.h).
 *
 * The messages, as one worker sees them (all MPI_COMM_WORLD, rank 0):
 *   worker -> 0  READY   its grid, reference fit and backend; or FAIL
 *   0 -> worker  WORK    a block index, or NO_BLOCK: stop
 *   worker -> 0  RESULT  the block index and its points, which also asks
 *                        for the next block; or FAIL (a zp_error), then stops
 * A worker holds one block at a time: a block costs a second or more and a
 * round trip microseconds, so nothing is gained by asking ahead.  Points
 * travel as bytes: the ranks run the same binary (a homogeneous cluster).
 *
 * Rank 0 records a block (journal, fsync) before handing that worker its
 * next one, so the journal is consistent whenever the job is killed.  When
 * a rank dies, Open MPI's mpirun names it ("process rank 2 ... exited on
 * signal 9") and ends the other ranks with SIGTERM; rank 0 then says, in
 * one line, that the journal is kept and the same command resumes.
 * SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* setenv, sigaction */

#include "cli/scan_mpi.h"

#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The environment variables that MPI launchers set in the processes they
 * start: Open MPI's mpirun, PMIx (srun --mpi=pmix, prterun), PMI-1/2
 * (srun --mpi=pmi2, MPICH's hydra).  Without one, zprop runs serially. */
static int launched_by_mpi(void) {
  static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
  for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
    if (getenv(vars[i]) != NULL) return 1;
  return 0;
}

#ifndef ZP_HAVE_MPI

/** ZP_MPI_PROGRAM in the folder of this program (/proc/self/exe: links
 *  resolved, whatever PATH found).  0 when the path does not fit. */
static int mpi_program(char *out, size_t size) {
  ssize_t n = readlink("/proc/self/exe", out, size - 1);
  if (n <= 0 || (size_t)n >= size - 1) return 0;
  out[n] = '\0';
  char *slash = strrchr(out, '/');
  if (slash == NULL || (size_t)(slash - out) + 1 + sizeof ZP_MPI_PROGRAM > size) return 0;
  memcpy(slash + 1, ZP_MPI_PROGRAM, sizeof ZP_MPI_PROGRAM);
  return 1;
}

int zp_scan_mpi_handoff(char **argv) {
  if (!launched_by_mpi()) return -1;
  char path[PATH_MAX];
  int why = ENAMETOOLONG;
  if (mpi_program(path, sizeof path)) {
    execv(path, argv); /* returns only on failure */
    why = errno;
  } else {
    strcpy(path, ZP_MPI_PROGRAM);
  }
  fprintf(stderr,
          "zprop: started by an MPI launcher, but this zprop has no MPI and %s cannot run (%s); "
          "build zprop with MPI (Debian: libopenmpi-dev openmpi-bin) or run the scan without "
          "the launcher\n",
          path, strerror(why));
  return ZP_EXIT_FAILURE;
}

int zp_scan_mpi_begin(void) { return 0; }

int zp_scan_mpi_run(zp_params *p, zp_scan_job *job) {
  (void)p, (void)job;
  fputs("zprop: this zprop was built without MPI\n", stderr);
  return ZP_EXIT_FAILURE;
}

#else

#include <mpi.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "cli/params.h"
#include "cli/scan_progress.h"
#include "core/wall_clock.h"
#include "transport/context_backend.h"

enum { TAG_READY = 1, TAG_FAIL, TAG_RESULT, TAG_WORK };
#define NO_BLOCK UINT64_MAX
enum { NAME_SIZE = 32, MAX_NOTICES = 8 };

/* What a worker started: rank 0 checks it has the same grid. */
typedef struct {
  uint64_t total, nblocks, chunk;
  zp_scan_reference ref;
  char backend[NAME_SIZE];
  char notice[ZP_ERROR_MSG_SIZE];
} ready_msg;

int zp_scan_mpi_handoff(char **argv) {
  (void)argv;
  return -1;
}

int zp_scan_mpi_begin(void) {
  if (!launched_by_mpi()) return 0;
  /* Only the main thread calls MPI; OpenMP threads compute in between. */
  int provided, size;
  MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1) return 1;
  MPI_Finalize();
  return 0;
}

/* Test-only (tests/mpi), a failure at a known point of the scan:
 * ZPROP_TEST_MPI_KILL=R:N makes rank R SIGKILL itself once it has sent (a
 * worker) or recorded (rank 0) N blocks; ZPROP_TEST_MPI_FAIL=R:N makes
 * worker R report an error instead of its N-th block. */
static int test_hook(const char *var, int rank, size_t blocks) {
  const char *s = getenv(var);
  int r;
  size_t n;
  return s != NULL && sscanf(s, "%d:%zu", &r, &n) == 2 && r == rank && n == blocks;
}

static void test_kill(int rank, size_t blocks) {
  if (test_hook("ZPROP_TEST_MPI_KILL", rank, blocks)) raise(SIGKILL);
}

/* ------------------------------------------------------------- devices */

/* This worker's place among the workers of its node: rank 0 only
 * coordinates, so on its node the workers start at 0 too. */
static int node_worker_index(int rank) {
  MPI_Comm node, workers;
  int index = 0;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
  MPI_Comm_split(node, rank == 0 ? MPI_UNDEFINED : 1, rank, &workers);
  if (workers != MPI_COMM_NULL) {
    MPI_Comm_rank(workers, &index);
    MPI_Comm_free(&workers);
  }
  MPI_Comm_free(&node);
  return index;
}

/* The CUDA backend computes on the first device it sees, so a worker is
 * given its GPU through CUDA_VISIBLE_DEVICES before any CUDA call: the
 * index-th device, or the index-th entry of a list the launcher set (srun
 * --gpus-per-node); a single entry is kept (this task's own GPU, or one
 * shared by all).  A worker beyond the GPUs sees none: backend=auto then
 * computes on the CPU, backend=cuda fails, naming the rank. */
static void pick_device(int index) {
  const char *have = getenv("CUDA_VISIBLE_DEVICES");
  char pick[64] = "";
  if (have == NULL) {
    snprintf(pick, sizeof pick, "%d", index);
  } else {
    if (strchr(have, ',') == NULL) return;
    const char *e = have;
    for (int i = 0; i < index && e != NULL; i++) {
      e = strchr(e, ',');
      if (e != NULL) e++;
    }
    if (e != NULL) snprintf(pick, sizeof pick, "%.*s", (int)strcspn(e, ","), e);
  }
  setenv("CUDA_VISIBLE_DEVICES", pick, 1);
}

/* -------------------------------------------------------------- worker */

static int send_fail(const zp_error *err) {
  MPI_Send(err, (int)sizeof *err, MPI_BYTE, 0, TAG_FAIL, MPI_COMM_WORLD);
  return zp_cli_exit_status(err->code);
}

static int work(zp_params *p, zp_scan_job *job, int rank) {
  zp_error err;
  zp_error_clear(&err);
  zp_context *ctx = NULL;
  zp_context_opts copts = {.workload = ZP_WORKLOAD_SCAN,
                           .npoints = zp_scan_job_size(job),
                           .nbins = zp_context_grid_nbins(&p->cfg)};
  zp_status st = zp_context_create(p->cfg.backend, &copts, &ctx, &err);
  if (st == ZP_OK) st = zp_scan_job_start(job, ZP_SCAN_FILES_NONE, NULL, &err);
  size_t chunk = zp_scan_job_spec(job)->chunk, lo0, rows = 0;
  zp_scan_job_block_range(job, 0, &lo0, &rows); /* the first block is a largest one */
  unsigned char *buf = NULL;
  if (st == ZP_OK && (buf = malloc(sizeof(uint64_t) + rows * sizeof(zp_scan_point))) == NULL)
    st = zp_error_set(&err, ZP_ENOMEM, "out of memory for a block of %zu points", rows);
  int status = ZP_EXIT_OK;
  if (st != ZP_OK) {
    status = send_fail(&err);
  } else {
    ready_msg r;
    memset(&r, 0, sizeof r);
    r.total = zp_scan_job_size(job), r.nblocks = zp_scan_job_nblocks(job), r.chunk = chunk;
    r.ref = *zp_scan_job_reference(job);
    snprintf(r.backend, sizeof r.backend, "%s", zp_context_backend_name(ctx));
    snprintf(r.notice, sizeof r.notice, "%s",
             zp_context_notice(ctx) != NULL ? zp_context_notice(ctx) : "");
    MPI_Send(&r, (int)sizeof r, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
  }
  for (size_t sent = 0; st == ZP_OK;) {
    uint64_t b;
    if (MPI_Recv(&b, 1, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS ||
        b == NO_BLOCK)
      break;
    size_t n = 0;
    st = zp_scan_job_compute_block(ctx, job, (size_t)b, (zp_scan_point *)(buf + sizeof b), &n,
                                   &err);
    if (st == ZP_OK && test_hook("ZPROP_TEST_MPI_FAIL", rank, sent + 1))
      st = zp_error_set(&err, ZP_ENUMERIC, "block %llu: a test failure (ZPROP_TEST_MPI_FAIL)",
                        (unsigned long long)b);
    if (st != ZP_OK) {
      status = send_fail(&err);
      break;
    }
    memcpy(buf, &b, sizeof b);
    MPI_Send(buf, (int)(sizeof b + n * sizeof(zp_scan_point)), MPI_BYTE, 0, TAG_RESULT,
             MPI_COMM_WORLD);
    test_kill(rank, ++sent);
  }
  free(buf);
  zp_context_free(ctx);
  return status;
}

/* --------------------------------------------------------- coordinator */

typedef struct {
  zp_scan_job *job;
  int size, active; /* ranks; workers not yet stopped */
  size_t next;      /* the blocks before it are done or handed out */
  uint64_t *held;   /* [size]: the block each worker computes, or NO_BLOCK */
  char (*backend)[NAME_SIZE];
  unsigned char *computed; /* [size]: the worker returned a block */
  char notices[MAX_NOTICES][ZP_ERROR_MSG_SIZE];
  size_t nnotices;
  int ref_warned, failed;
  zp_progress pr;
  zp_error err; /* the first failure */
  unsigned char *buf;
  size_t cap, recorded;
  /* measured coordination cost (ZPROP_MPI_STATS) */
  size_t messages, bytes;
  double busy_s, record_s;
} coord;

static void fail(coord *c, const zp_error *e) {
  if (!c->failed) c->err = *e;
  c->failed = 1;
}

/* A worker's failure: its message, with its rank. */
static void fail_rank(coord *c, int w, const zp_error *e) {
  zp_error named;
  zp_error_set(&named, e->code, "rank %d: %s", w, e->msg);
  fail(c, &named);
}

/* Rank 0's exit status once it has said how the scan ended: mpirun may
 * still end it with SIGTERM in MPI_Finalize (a failed worker exits non-zero
 * as soon as rank 0 has its message), and a second line would then
 * contradict the first. */
static volatile sig_atomic_t reported_status = -1;

static void on_sigterm(int sig) {
  if (reported_status >= 0) _exit(reported_status);
  static const char msg[] = "zprop: scan stopped by SIGTERM (mpirun ends every rank when one dies "
                            "or is killed); the journal keeps every recorded chunk: run the same "
                            "command to resume\n";
  ssize_t written = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)written;
  _exit(128 + sig);
}

static void check_ready(coord *c, int w, const void *buf, size_t len) {
  ready_msg r;
  zp_error e;
  if (len != sizeof r) {
    zp_error_set(&e, ZP_EINVAL, "a malformed first message (another zprop?)");
    return fail_rank(c, w, &e);
  }
  memcpy(&r, buf, sizeof r);
  r.backend[NAME_SIZE - 1] = r.notice[ZP_ERROR_MSG_SIZE - 1] = '\0';
  snprintf(c->backend[w], NAME_SIZE, "%s", r.backend);
  if (c->failed) return;
  if (r.total != zp_scan_job_size(c->job) || r.nblocks != zp_scan_job_nblocks(c->job) ||
      r.chunk != zp_scan_job_spec(c->job)->chunk) {
    zp_error_set(&e, ZP_EINVAL, "a grid of %llu points in %llu blocks, rank 0 has %zu in %zu",
                 (unsigned long long)r.total, (unsigned long long)r.nblocks,
                 zp_scan_job_size(c->job), zp_scan_job_nblocks(c->job));
    return fail_rank(c, w, &e);
  }
  /* The header's chi2_0 is rank 0's, each row's delta_chi2 and R its
   * worker's: said when they differ (another backend, other data files). */
  const zp_scan_reference *mine = zp_scan_job_reference(c->job);
  if (!c->ref_warned && (memcmp(&r.ref.chi2_0, &mine->chi2_0, sizeof mine->chi2_0) != 0 ||
                         r.ref.npoints != mine->npoints)) {
    fprintf(stderr,
            "zprop: warning: rank %d's reference fit (chi2_0 = %.17g, backend %s) differs "
            "from rank 0's (%.17g): its rows' delta_chi2 and R use its own\n",
            w, r.ref.chi2_0, r.backend, mine->chi2_0);
    c->ref_warned = 1;
  }
  for (size_t i = 0; i < c->nnotices; i++)
    if (strcmp(c->notices[i], r.notice) == 0) return;
  if (r.notice[0] != '\0') fprintf(stderr, "zprop: rank %d: %s\n", w, r.notice);
  if (c->nnotices < MAX_NOTICES) memcpy(c->notices[c->nnotices++], r.notice, sizeof r.notice);
}

static void take_result(coord *c, int w, const unsigned char *buf, size_t len) {
  uint64_t b = NO_BLOCK;
  if (len >= sizeof b) memcpy(&b, buf, sizeof b);
  size_t lo = 0, want = 0, n = len >= sizeof b ? (len - sizeof b) / sizeof(zp_scan_point) : 0;
  if (b == c->held[w]) zp_scan_job_block_range(c->job, (size_t)b, &lo, &want);
  zp_error e;
  const zp_scan_point *pts = (const zp_scan_point *)(buf + sizeof b);
  int ok = b == c->held[w] && len == sizeof b + want * sizeof(zp_scan_point) && n == want;
  for (size_t i = 0; ok && i < n; i++) ok = pts[i].index == lo + i;
  c->held[w] = NO_BLOCK;
  if (!ok) {
    zp_error_set(&e, ZP_EINVAL, "returned a block it was not given, or a malformed one");
    return fail_rank(c, w, &e);
  }
  double t0 = zp_wall_seconds();
  if (zp_scan_job_record(c->job, pts, n, &e) != ZP_OK) return fail(c, &e);
  c->record_s += zp_wall_seconds() - t0;
  c->computed[w] = 1;
  zp_progress_add(&c->pr, n);
  test_kill(0, ++c->recorded);
}

/* The next block not done, or NO_BLOCK once there is none (or a failure). */
static void reply(coord *c, int w) {
  size_t nblocks = zp_scan_job_nblocks(c->job);
  while (c->next < nblocks && zp_scan_job_block_done(c->job, c->next)) c->next++;
  uint64_t b = !c->failed && c->next < nblocks ? (uint64_t)c->next++ : NO_BLOCK;
  c->held[w] = b;
  if (b == NO_BLOCK) c->active--;
  if (MPI_Send(&b, 1, MPI_UINT64_T, w, TAG_WORK, MPI_COMM_WORLD) != MPI_SUCCESS) {
    fprintf(stderr, "zprop: MPI could not reach rank %d; the journal is kept\n", w);
    MPI_Abort(MPI_COMM_WORLD, ZP_EXIT_FAILURE);
  }
  c->messages++, c->bytes += sizeof b;
}

/* MPI_Probe, but asleep between polls: a blocking probe spins (Open MPI),
 * taking a core from a worker of the same node, for chunks that take a
 * second or more.  The sleep grows from 50 us to 1 ms while nothing comes,
 * so that a short chunk is still answered within a small part of it. */
static int wait_message(MPI_Status *s) {
  long ns = 50000;
  for (;;) {
    int flag = 0, rc = MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, s);
    if (rc != MPI_SUCCESS || flag) return rc;
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
    if (ns < 1000000) ns *= 2;
  }
}

/* Receives one message, whichever worker sent it, and answers it. */
static void serve_one(coord *c) {
  MPI_Status s;
  int count = 0;
  if (wait_message(&s) != MPI_SUCCESS || MPI_Get_count(&s, MPI_BYTE, &count) != MPI_SUCCESS) {
    fputs("zprop: MPI failed on rank 0 waiting for the workers; the journal is kept\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, ZP_EXIT_FAILURE);
  }
  double t0 = zp_wall_seconds();
  if ((size_t)count > c->cap) {
    free(c->buf);
    c->cap = (size_t)count;
    if ((c->buf = malloc(c->cap)) == NULL) {
      fputs("zprop: out of memory on rank 0; the journal is kept\n", stderr);
      MPI_Abort(MPI_COMM_WORLD, ZP_EXIT_FAILURE);
    }
  }
  int w = s.MPI_SOURCE;
  MPI_Recv(c->buf, count, MPI_BYTE, w, s.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  c->messages++, c->bytes += (size_t)count;
  if (s.MPI_TAG == TAG_FAIL) {
    zp_error e;
    memcpy(&e, c->buf, (size_t)count < sizeof e ? (size_t)count : sizeof e);
    e.msg[ZP_ERROR_MSG_SIZE - 1] = '\0';
    fail_rank(c, w, &e);
    c->active--; /* it has stopped: no answer */
  } else {
    if (s.MPI_TAG == TAG_READY) check_ready(c, w, c->buf, (size_t)count);
    else take_result(c, w, c->buf, (size_t)count);
    reply(c, w);
  }
  c->busy_s += zp_wall_seconds() - t0;
}

/* The backends that computed, in rank order, each named once: "cpu_fast"
 * as in a serial table when every worker used it. */
static void backend_names(const coord *c, char *out, size_t size) {
  int any = 0;
  for (int w = 1; w < c->size; w++) any |= c->computed[w];
  out[0] = '\0';
  for (int w = 1; w < c->size; w++) {
    if ((any && !c->computed[w]) || c->backend[w][0] == '\0') continue;
    int seen = 0;
    for (int v = 1; v < w && !seen; v++)
      seen = (!any || c->computed[v]) && strcmp(c->backend[v], c->backend[w]) == 0;
    if (!seen)
      snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "," : "", c->backend[w]);
  }
}

static void print_stats(const coord *c, double wall) {
  if (getenv("ZPROP_MPI_STATS") == NULL) return;
  size_t chunks = c->recorded ? c->recorded : 1;
  fprintf(stderr,
          "zprop scan: mpi: %d ranks, %zu chunks, %zu messages, %zu bytes on rank 0; per chunk "
          "%.1f messages, %.0f bytes, %.3g ms busy (%.3g ms recording); rank 0 busy %.2f%% of "
          "%.3g s\n",
          c->size, c->recorded, c->messages, c->bytes, (double)c->messages / (double)chunks,
          (double)c->bytes / (double)chunks, 1e3 * c->busy_s / (double)chunks,
          1e3 * c->record_s / (double)chunks, wall > 0 ? 100.0 * c->busy_s / wall : 0.0, wall);
}

static int coordinate(zp_params *p, zp_scan_job *job, int size) {
  coord c = {.job = job, .size = size, .active = size - 1};
  c.held = malloc((size_t)size * sizeof *c.held);
  c.backend = calloc((size_t)size, sizeof *c.backend);
  c.computed = calloc((size_t)size, 1);
  if (c.held == NULL || c.backend == NULL || c.computed == NULL) {
    fputs("zprop: out of memory on rank 0\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, ZP_EXIT_FAILURE);
  }
  for (int w = 0; w < size; w++) c.held[w] = NO_BLOCK;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigterm;
  sigaction(SIGTERM, &sa, NULL);
  double t0 = zp_wall_seconds();
  size_t resumed = 0, total = zp_scan_job_size(job);
  zp_error e;
  if (zp_scan_job_start(job, ZP_SCAN_FILES_OUTPUT, &resumed, &e) != ZP_OK) fail(&c, &e);
  else zp_progress_start(&c.pr, stderr, "scan", total, resumed);
  while (c.active > 0) serve_one(&c);
  int status = ZP_EXIT_OK;
  if (!c.failed) {
    zp_progress_finish(&c.pr);
    char names[NAME_SIZE * 4];
    backend_names(&c, names, sizeof names);
    if (zp_scan_job_finish(job, names, &e) != ZP_OK) fail(&c, &e);
  }
  if (c.failed) {
    status = zp_cli_report(&c.err);
  } else {
    zp_progress_wrote(stderr, job, p->output);
  }
  print_stats(&c, zp_wall_seconds() - t0);
  reported_status = status;
  free(c.buf), free(c.held), free(c.backend), free(c.computed);
  return status;
}

/* ---------------------------------------------------------------- entry */

int zp_scan_mpi_run(zp_params *p, zp_scan_job *job) {
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  /* Failures come back as codes, so that rank 0 can keep the journal and
   * say what happened, instead of MPI's default of aborting the job. */
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int index = node_worker_index(rank);
  if (rank != 0 && (p->cfg.backend == ZP_BACKEND_AUTO || p->cfg.backend == ZP_BACKEND_CUDA))
    pick_device(index);
  int status = rank == 0 ? coordinate(p, job, size) : work(p, job, rank);
  MPI_Finalize();
  return status;
}

#endif
