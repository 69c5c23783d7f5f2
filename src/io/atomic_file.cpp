#include "src/io/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <unistd.h>

namespace cartsim::io {

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
    const std::filesystem::path temporary =
        path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) throw IoError("cannot write " + temporary.string() + ": " + std::strerror(errno));
        out << content;
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw IoError("cannot write " + temporary.string() + ": " + std::strerror(errno));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        throw IoError("cannot rename " + temporary.string() + " to " + path.string());
    }
}

}  // namespace cartsim::io
