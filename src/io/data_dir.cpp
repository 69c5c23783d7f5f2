#include "src/io/data_dir.hpp"

#include <cstdlib>
#include <system_error>

#ifndef CARTSIM_SOURCE_DIR
#define CARTSIM_SOURCE_DIR "."
#endif
#ifndef CARTSIM_BIN_TO_DATA
#define CARTSIM_BIN_TO_DATA "../share/cartsim"
#endif

namespace cartsim::io {
namespace fs = std::filesystem;

fs::path choose_data_dir(const std::optional<std::string>& environment, const fs::path& program,
                         const fs::path& bin_to_data, const fs::path& source_dir) {
    if (environment && !environment->empty()) return fs::path(*environment);
    std::error_code ec;
    if (!program.empty()) {
        const fs::path installed = (program.parent_path() / bin_to_data).lexically_normal();
        if (fs::is_directory(installed / "scenarios", ec)) return installed;
    }
    return source_dir;
}

const fs::path& data_dir() {
    static const fs::path dir = [] {
        const char* environment = std::getenv("CARTSIM_DATA_DIR");
        std::error_code ec;
        const fs::path program = fs::read_symlink("/proc/self/exe", ec);
        return choose_data_dir(environment ? std::optional<std::string>(environment) : std::nullopt,
                               ec ? fs::path() : program, CARTSIM_BIN_TO_DATA, CARTSIM_SOURCE_DIR);
    }();
    return dir;
}

}  // namespace cartsim::io
