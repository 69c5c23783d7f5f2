#include "src/io/read_file.hpp"

#include <fstream>
#include <sstream>

namespace cartsim::io {

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace cartsim::io
