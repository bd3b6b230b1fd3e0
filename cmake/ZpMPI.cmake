# MPI for `mpirun -np K zprop scan` (src/cli/scan_mpi.c), found like CUDA:
# ZP_ENABLE_MPI = AUTO (when found), ON (required) or OFF.  Only the zprop
# program links it; the library never does.  Sets ZP_HAVE_MPI, and
# MPIEXEC_EXECUTABLE for the tests (tests/mpi).
set(ZP_HAVE_MPI OFF)
if(NOT ZP_ENABLE_MPI STREQUAL "OFF")
  find_package(MPI COMPONENTS C)
  if(MPI_C_FOUND AND MPIEXEC_EXECUTABLE)
    set(ZP_HAVE_MPI ON)
  elseif(ZP_ENABLE_MPI STREQUAL "ON")
    message(FATAL_ERROR "ZP_ENABLE_MPI=ON but no MPI (C) with mpiexec was found "
      "(Debian: libopenmpi-dev openmpi-bin, installed by ./setup.sh)")
  endif()
endif()
