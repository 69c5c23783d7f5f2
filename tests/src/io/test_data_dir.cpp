#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "src/io/data_dir.hpp"

namespace fs = std::filesystem;
using cartsim::io::choose_data_dir;

TEST_CASE("io: the data folder is $CARTSIM_DATA_DIR, else the installed share/cartsim next to the program, else the source tree") {
    const fs::path root = fs::temp_directory_path() / ("cartsim-data-dir-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "prefix" / "bin");
    const fs::path program = root / "prefix" / "bin" / "cartsim";
    std::ofstream(program) << "";
    const fs::path source = root / "source";

    // Not installed: no share/cartsim/scenarios next to the program.
    CHECK(choose_data_dir(std::nullopt, program, "../share/cartsim", source) == source);
    // A share/cartsim without scenarios/ is not an installation.
    fs::create_directories(root / "prefix" / "share" / "cartsim");
    CHECK(choose_data_dir(std::nullopt, program, "../share/cartsim", source) == source);
    fs::create_directories(root / "prefix" / "share" / "cartsim" / "scenarios");
    CHECK(choose_data_dir(std::nullopt, program, "../share/cartsim", source) == root / "prefix" / "share" / "cartsim");
    // The environment wins; an empty value counts as unset.
    CHECK(choose_data_dir(std::string("/elsewhere"), program, "../share/cartsim", source) == fs::path("/elsewhere"));
    CHECK(choose_data_dir(std::string(), program, "../share/cartsim", source) == root / "prefix" / "share" / "cartsim");
    // An unknown program path falls back to the source tree.
    CHECK(choose_data_dir(std::nullopt, fs::path(), "../share/cartsim", source) == source);
    fs::remove_all(root);
}
