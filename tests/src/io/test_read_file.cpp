#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "src/io/read_file.hpp"

namespace fs = std::filesystem;

TEST_CASE("io: read_file gives a file's bytes, or nothing for a file that cannot be opened") {
    const fs::path file = fs::temp_directory_path() / ("cartsim-read-file-" + std::to_string(::getpid()));
    const std::string bytes = std::string("a,b\r\n1,2\n") + '\0' + "end";
    std::ofstream(file, std::ios::binary) << bytes;
    CHECK(cartsim::io::read_file(file) == bytes);
    fs::remove(file);
    CHECK_FALSE(cartsim::io::read_file(file).has_value());
}
