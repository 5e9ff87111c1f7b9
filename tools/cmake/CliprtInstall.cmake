# cmake --install: headers, both libraries, the CMake package
# (find_package(cliprt) → cliprt::cliprt, cliprt::cliprt_static) and a
# pkg-config file (cliprt.pc).
include(CMakePackageConfigHelpers)

install(FILES include/cliprt/cliprt.h include/cliprt/cliprt.hpp
              ${PROJECT_BINARY_DIR}/include/cliprt/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cliprt)
install(TARGETS cliprt cliprt_static EXPORT cliprtTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cliprtTargets NAMESPACE cliprt::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cliprt)
configure_package_config_file(tools/cmake/cliprtConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cliprtConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cliprt)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cliprtConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cliprtConfig.cmake ${PROJECT_BINARY_DIR}/cliprtConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/cliprt)

# Relocatable: the .pc file finds the prefix relative to its own location, so
# `cmake --install --prefix DIR` works for any DIR.
file(RELATIVE_PATH CLIPRT_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
configure_file(tools/cmake/cliprt.pc.in ${PROJECT_BINARY_DIR}/cliprt.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cliprt.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Known-checkpoint manifests and prompt template sets (data the library and
# the CLI read at run time).
install(DIRECTORY models/manifests models/templates DESTINATION ${CMAKE_INSTALL_DATADIR}/cliprt)
