# Fails when a std::*_distribution appears in the code under ROOT (model/, solvers/, src/): their
# algorithms differ between standard libraries, so draws made with them would differ between
# libstdc++ and libc++ builds. Use the samplers of solvers/agents/random_counts.hpp instead.
#   cmake -DROOT=<source dir> -P cmake/NoStdDistributions.cmake
if(NOT ROOT)
    message(FATAL_ERROR "NoStdDistributions.cmake: pass -DROOT=<source dir>")
endif()
file(GLOB_RECURSE sources "${ROOT}/model/*.[ch]pp" "${ROOT}/solvers/*.[ch]pp" "${ROOT}/src/*.[ch]pp")
set(found "")
foreach(file IN LISTS sources)
    file(STRINGS "${file}" hits REGEX "std::[a-z_]+_distribution")
    foreach(hit IN LISTS hits)
        string(STRIP "${hit}" hit)
        file(RELATIVE_PATH shown "${ROOT}" "${file}")
        string(APPEND found "\n  ${shown}: ${hit}")
    endforeach()
endforeach()
if(found)
    message(FATAL_ERROR "std:: random distributions draw differently with each standard library; use "
                        "solvers/agents/random_counts.hpp:${found}")
endif()
