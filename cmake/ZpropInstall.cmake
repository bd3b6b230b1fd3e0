# zprop: what `cmake --install BUILD [--prefix P]` puts where (GNUInstallDirs):
#   lib/       libzprop.so.0.1.0 (+ .so.0, .so) and libzprop.a
#   include/   zprop/*.h and the generated zprop/config.h
#   bin/       the zprop program
#   share/     zprop/data: the data sets, found from lib/ or bin/ at run time
#   lib/pkgconfig/zprop.pc, lib/cmake/zprop/ (find_package(zprop): zprop::zprop,
#              the shared library, and zprop::zprop_static)
include(CMakePackageConfigHelpers)
set(ZP_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/zprop")
set(ZP_INSTALL_STAGE "${PROJECT_BINARY_DIR}/zprop-install")

install(TARGETS zprop_shared zprop EXPORT zpropTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS ${ZP_CLI_PROGRAMS} RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/zprop/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/zprop" FILES_MATCHING PATTERN "*.h")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/data/" DESTINATION "${CMAKE_INSTALL_DATADIR}/zprop/data"
  FILES_MATCHING PATTERN "*.dat" PATTERN "README.md")

# config.h and zprop.pc name the prefix given when installing (which
# `cmake --install --prefix` may change after configuring), so they are
# written at install time from templates that hold @ZP_INSTALL_PREFIX@.
function(zp_install_with_prefix template destination)
  install(CODE "set(zp_template \"${template}\")
set(zp_destination \"${destination}\")
include(\"${PROJECT_SOURCE_DIR}/cmake/ZpropInstallWithPrefix.cmake\")")
endfunction()

function(zp_install_config_h)
  set(ZP_DATA_DIR "@ZP_INSTALL_PREFIX@/${CMAKE_INSTALL_DATADIR}/zprop/data")
  configure_file("${PROJECT_SOURCE_DIR}/include/zprop/config.h.in"
    "${ZP_INSTALL_STAGE}/templates/config.h" @ONLY)
  zp_install_with_prefix("${ZP_INSTALL_STAGE}/templates/config.h" "${CMAKE_INSTALL_INCLUDEDIR}/zprop")
endfunction()
zp_install_config_h()

# pkg-config: the shared library by default; `--static` adds what libzprop.a
# needs (gsl.pc brings GSL's gslcblas, for GSL; backend=cpu opens OpenBLAS
# at run time).
function(zp_install_pc)
  set(ZP_PC_PREFIX "@ZP_INSTALL_PREFIX@")
  set(ZP_PC_LIBS "")
  set(ZP_PC_LIBS_PRIVATE "-lm -pthread")
  if(CMAKE_DL_LIBS)
    string(APPEND ZP_PC_LIBS_PRIVATE " -l${CMAKE_DL_LIBS}")
  endif()
  if(ZP_HAVE_OPENMP)
    string(APPEND ZP_PC_LIBS_PRIVATE " ${OpenMP_C_FLAGS}")
  endif()
  if(ZP_HAVE_CUDA)
    string(APPEND ZP_PC_LIBS_PRIVATE " -L${CUDAToolkit_LIBRARY_DIR} -lcudart_static -lrt -lstdc++")
  endif()
  if(ZP_SANITIZE)
    set(ZP_PC_LIBS " -fsanitize=address,undefined")
  endif()
  configure_file("${PROJECT_SOURCE_DIR}/cmake/zprop.pc.in" "${ZP_INSTALL_STAGE}/templates/zprop.pc"
    @ONLY)
  zp_install_with_prefix("${ZP_INSTALL_STAGE}/templates/zprop.pc" "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endfunction()
zp_install_pc()

# CMake package: find_package(zprop) -> zprop::zprop, zprop::zprop_static.
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/zpropConfig.cmake.in"
  "${ZP_INSTALL_STAGE}/zpropConfig.cmake" INSTALL_DESTINATION "${ZP_CMAKE_INSTALL_DIR}"
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file("${ZP_INSTALL_STAGE}/zpropConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(EXPORT zpropTargets NAMESPACE zprop:: DESTINATION "${ZP_CMAKE_INSTALL_DIR}")
install(FILES "${ZP_INSTALL_STAGE}/zpropConfig.cmake" "${ZP_INSTALL_STAGE}/zpropConfigVersion.cmake"
  DESTINATION "${ZP_CMAKE_INSTALL_DIR}")
