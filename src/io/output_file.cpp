#include "src/io/output_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "src/io/atomic_file.hpp"

namespace cartsim::io {
namespace {

[[noreturn]] void fail(const char* what, const std::filesystem::path& path, int error) {
    throw IoError(std::string("cannot ") + what + " " + path.string() + ": " + std::strerror(error));
}

}  // namespace

OutputFile::OutputFile(const std::filesystem::path& path, Mode mode, const std::filesystem::path& shown_as)
    : path_(path), shown_as_(shown_as.empty() ? path : shown_as) {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (mode == Mode::Append ? O_APPEND : O_TRUNC);
    fd_ = ::open(path.c_str(), flags, 0644);
    if (fd_ < 0) fail("write", shown_as_, errno);
}

OutputFile::~OutputFile() {
    if (fd_ >= 0) ::close(fd_);
}

void OutputFile::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", shown_as_, errno);
        }
        if (n == 0) fail("write", shown_as_, EIO);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void OutputFile::sync() {
    if (::fsync(fd_) != 0) fail("write", shown_as_, errno);
}

void OutputFile::close() {
    const int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0) fail("write", shown_as_, errno);
}

}  // namespace cartsim::io
