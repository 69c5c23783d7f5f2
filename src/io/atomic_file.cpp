#include "src/io/atomic_file.hpp"

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "src/io/output_file.hpp"

namespace cartsim::io {

std::filesystem::path temporary_name(const std::filesystem::path& path) {
    return path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

void write_file_atomic(const std::filesystem::path& path, const std::string& content) {
    write_file_atomic(path, [&](OutputFile& out) { out.write(content); });
}

void write_file_atomic(const std::filesystem::path& path, const std::function<void(OutputFile&)>& fill) {
    const std::filesystem::path temporary = temporary_name(path);
    try {
        OutputFile out(temporary, OutputFile::Mode::Truncate, path);
        fill(out);
        out.sync();  // on disk before the rename makes it the file
        out.close();
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);  // no hidden leftovers (a full disk, say)
        throw;
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw IoError("cannot rename " + temporary.string() + " to " + path.string() + ": " + error.message());
    }
}

}  // namespace cartsim::io
