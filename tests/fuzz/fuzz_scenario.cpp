// libFuzzer target: the input is a scenario file, loaded and validated as `cartsim check FILE` does
// (YAML, population preset, product presets, typed scenario or study, cross-field rules, warnings).
// The input is written to scenario.yaml in a folder of its own under $TMPDIR, so the loader reads
// it through the same file path as a user's file; presets come from the source tree's scenarios/.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/fuzz/check_input.hpp"

namespace {

std::string make_input_path() {
    std::string dir = (std::filesystem::temp_directory_path() / "cartsim-fuzz-XXXXXX").string();
    if (!mkdtemp(dir.data())) std::abort();
    static const std::string folder = dir;
    std::atexit([] {
        std::error_code ec;
        std::filesystem::remove_all(folder, ec);
    });
    return dir + "/scenario.yaml";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = make_input_path();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        if (!out) std::abort();
    }
    cartsim::fuzz::check_input(path, {});
    return 0;
}
