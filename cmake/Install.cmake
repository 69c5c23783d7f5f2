# What `cmake --install` and `cpack -G DEB` put where (GNU layout under the prefix):
#   bin/cartsim                                     the program
#   lib/python3/dist-packages/cartsim               the Python module (src/python/CMakeLists.txt)
#   share/cartsim/scenarios, share/cartsim/plots    presets, studies, validation, lessons; plotting scripts
#   share/cartsim/schema/*.schema.json              JSON Schemas of the YAML files (cartsim schema)
#   share/man/man1/cartsim.1                        the man page (help2man, from the program's --help)
#   share/bash-completion/completions/cartsim       bash completion
#   share/doc/cartsim                               README, LICENSE, CITATION.cff
# The installed program finds share/cartsim relative to itself (src/io/data_dir.hpp).
include(GNUInstallDirs)

install(TARGETS cartsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cartsim/scenarios)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/plots/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cartsim/plots
        FILES_MATCHING PATTERN "*.py" PATTERN "*.md" PATTERN "*.js" PATTERN "*.css" PATTERN "__pycache__" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/src/cli/completion/cartsim.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME cartsim)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CITATION.cff
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Generated from the built program: the schemas and the man page.
set(cartsim_generated ${CMAKE_BINARY_DIR}/generated)
set(schema_files)
foreach(kind scenario product calibration uncertainty)
    set(file ${cartsim_generated}/schema/${kind}.schema.json)
    add_custom_command(OUTPUT ${file}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${cartsim_generated}/schema
                       COMMAND $<TARGET_FILE:cartsim> schema ${kind} -o ${file}
                       DEPENDS cartsim COMMENT "JSON Schema of ${kind} files")
    list(APPEND schema_files ${file})
endforeach()
install(FILES ${schema_files} DESTINATION ${CMAKE_INSTALL_DATADIR}/cartsim/schema)

find_program(HELP2MAN help2man)  # Debian: help2man
set(man_page ${cartsim_generated}/man/cartsim.1)
if(HELP2MAN)
    add_custom_command(OUTPUT ${man_page}
                       COMMAND ${CMAKE_COMMAND} -DCARTSIM=$<TARGET_FILE:cartsim> -DHELP2MAN=${HELP2MAN} -DOUT=${man_page}
                               -DWORK=${cartsim_generated}/man -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
                       DEPENDS cartsim ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake COMMENT "Man page cartsim(1)")
    install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
    message(STATUS "cartsim: help2man not found; no man page is installed (Debian: apt-get install help2man)")
    set(man_page)
endif()
add_custom_target(cartsim_generated_docs ALL DEPENDS ${schema_files} ${man_page})

# cpack -G DEB: a Debian package; its library dependencies are found by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME cartsim)
set(CPACK_PACKAGE_VENDOR "The cartsim developers")
set(CPACK_PACKAGE_CONTACT "The cartsim developers <cartsim@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "CAR-T cell therapy versus multiple myeloma, a mechanistic simulator")
set(CPACK_PACKAGE_DESCRIPTION
    "A hybrid agent-based and ODE model of a myeloma patient treated with CAR-T cells and what comes after:
CAR-T expansion, memory and exhaustion, antigen escape, marrow suppression and salvage therapies.
Scenarios, virtual cohorts, sweeps and multi-arm virtual trials are YAML files.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# `cartsim plot` runs the plotting scripts with Debian's python3 and matplotlib; the Python module returns pandas
# DataFrames and writes dict scenarios with PyYAML; `cartsim report` inlines Debian's Chart.js.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-matplotlib, python3-numpy, python3-pandas, python3-yaml, libjs-chart.js")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openmpi-bin, bash-completion")
include(CPack)
