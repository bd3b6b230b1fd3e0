/* Host emulation of CUDA kernels (tests/emul): the built-in variables and
 * a launch that runs every thread of the grid in turn on the host.  The
 * kernels of cuda/ need no shared memory or barriers, so a serial loop is
 * a faithful schedule.  Launch limits are checked as a device would (the
 * grid's y/z limit comes from the fake device, ZP_EMUL_MAX_GRID_Y).
 * SPDX-License-Identifier: MIT */
#ifndef ZP_EMUL_KERNEL_H
#define ZP_EMUL_KERNEL_H

#define __global__
#define __device__
#define __host__

struct uint3 {
  unsigned x, y, z;
};
struct dim3 {
  unsigned x, y, z;
  dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
};

inline uint3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

extern "C" int zp_emul_launch_check(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                    unsigned bz);

template <typename F> void zp_emul_launch(dim3 grid, dim3 block, F body) {
  if (!zp_emul_launch_check(grid.x, grid.y, grid.z, block.x, block.y, block.z)) return;
  gridDim = grid;
  blockDim = block;
  for (unsigned bz = 0; bz < grid.z; ++bz)
    for (unsigned by = 0; by < grid.y; ++by)
      for (unsigned bx = 0; bx < grid.x; ++bx)
        for (unsigned tz = 0; tz < block.z; ++tz)
          for (unsigned ty = 0; ty < block.y; ++ty)
            for (unsigned tx = 0; tx < block.x; ++tx) {
              blockIdx = uint3{bx, by, bz};
              threadIdx = uint3{tx, ty, tz};
              body();
            }
}

#define ZP_CUDA_LAUNCH(kernel, grid, block, ...)                                                   \
  zp_emul_launch((grid), (block), [&] { kernel(__VA_ARGS__); })

#endif
