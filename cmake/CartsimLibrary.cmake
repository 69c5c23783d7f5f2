# Shared compile settings and a helper that turns one source folder into one library.

add_library(cartsim_warnings INTERFACE)
# -Wno-restrict: GCC 12 reports false positives inside libstdc++ string concatenation (GCC bug 105329).
target_compile_options(cartsim_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                       $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(CARTSIM_WERROR)
    target_compile_options(cartsim_warnings INTERFACE -Werror)
endif()
if(CARTSIM_SANITIZE OR CARTSIM_FUZZ)
    target_compile_options(cartsim_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(cartsim_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(CARTSIM_FUZZ)
    # Coverage feedback for libFuzzer in every library; only the fuzz targets link libFuzzer's main. The
    # macro (libFuzzer's and OSS-Fuzz's convention) lowers load-time limits, see src/study/design.hpp.
    target_compile_options(cartsim_warnings INTERFACE -fsanitize=fuzzer-no-link)
    target_compile_definitions(cartsim_warnings INTERFACE FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
endif()

# cartsim_library(<target> DEPS <targets...>)
# Compiles every *.cpp of the calling folder into a static library; headers are included as
# "folder/sub/file.hpp" relative to the source root.
function(cartsim_library target)
    cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    if(sources)
        add_library(${target} STATIC ${sources})
        target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
        target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE cartsim_warnings)
    else()
        add_library(${target} INTERFACE)
        target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
        target_link_libraries(${target} INTERFACE ${ARG_DEPS})
    endif()
endfunction()
