#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "src/io/atomic_file.hpp"
#include "src/io/output_file.hpp"

using namespace cartsim::io;
namespace fs = std::filesystem;

namespace {

std::string message_of(const auto& action) {
    try {
        action();
    } catch (const IoError& e) {
        return e.what();
    }
    return "";
}

std::string content(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("output file: a full disk is reported with its cause and the file it was writing") {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    OutputFile full("/dev/full", OutputFile::Mode::Append, "OUT/patients.csv");
    const std::string message = message_of([&] { full.write("a row\n"); });
    CHECK(message == "cannot write OUT/patients.csv: No space left on device");
}

TEST_CASE("output file: a file that cannot be opened names its cause") {
    const std::string message =
        message_of([] { OutputFile("/nonexistent-folder-of-cartsim/x.csv", OutputFile::Mode::Truncate); });
    CHECK(message == "cannot write /nonexistent-folder-of-cartsim/x.csv: No such file or directory");
}

TEST_CASE("output file: appends keep what was there, truncation replaces it") {
    const fs::path dir = fs::temp_directory_path() / "cartsim-test-output-file";
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        OutputFile f(dir / "a.csv", OutputFile::Mode::Truncate);
        f.write("one\n");
        f.close();
    }
    {
        OutputFile f(dir / "a.csv", OutputFile::Mode::Append);
        f.write("two\n");
        f.sync();
    }
    CHECK(content(dir / "a.csv") == "one\ntwo\n");
    write_file_atomic(dir / "a.csv", "three\n");
    CHECK(content(dir / "a.csv") == "three\n");
    CHECK(fs::is_regular_file(dir / "a.csv"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
    CHECK(files == 1);  // no temporary left beside it
    fs::remove_all(dir);
}
