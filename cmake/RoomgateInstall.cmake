# Installs the customer library (public headers under include/roomgate/ plus
# the common and auth libraries) and the roomgate binary, with a CMake package
# so a backend can `find_package(roomgate)` and link `roomgate::auth`.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(roomgate_common PROPERTIES EXPORT_NAME common)
set_target_properties(roomgate_auth PROPERTIES EXPORT_NAME auth)

install(TARGETS roomgate_common roomgate_auth EXPORT roomgateTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS roomgate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/roomgate DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(ROOMGATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/roomgate)
install(EXPORT roomgateTargets NAMESPACE roomgate:: DESTINATION ${ROOMGATE_CMAKE_DIR})
configure_package_config_file(cmake/roomgateConfig.cmake.in
  ${PROJECT_BINARY_DIR}/roomgateConfig.cmake INSTALL_DESTINATION ${ROOMGATE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/roomgateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/roomgateConfig.cmake
              ${PROJECT_BINARY_DIR}/roomgateConfigVersion.cmake
        DESTINATION ${ROOMGATE_CMAKE_DIR})
