#include "src/io/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace cartsim::io {

std::optional<FolderLock> FolderLock::acquire(const std::filesystem::path& folder, std::string& why) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        why = "cannot create " + folder.string() + ": " + ec.message();
        return std::nullopt;
    }
    const std::filesystem::path path = folder / ".cartsim.lock";
    // A releasing writer unlinks the file after unlocking it: retry while the locked file is not the
    // one the path names now.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            why = "cannot open " + path.string() + ": " + std::strerror(errno);
            return std::nullopt;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            std::string holder;
            std::ifstream(path) >> holder;
            ::close(fd);
            why = error == EWOULDBLOCK
                      ? folder.string() + " is being written by another cartsim" +
                            (holder.empty() ? std::string() : " (process " + holder + ")") +
                            "; wait for it to finish or choose another folder"
                      : "cannot lock " + path.string() + ": " + std::strerror(error);
            return std::nullopt;
        }
        struct stat held {}, named {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
            held.st_dev == named.st_dev) {
            const std::string pid = std::to_string(::getpid()) + "\n";
            if (::ftruncate(fd, 0) != 0 || ::write(fd, pid.data(), pid.size()) < 0) {
                // The lock holds without the pid: the message to a second writer just cannot name it.
            }
            return FolderLock(path, fd);
        }
        ::close(fd);  // locked a file another writer has just removed: take the new one
    }
    why = "cannot lock " + path.string() + ": it keeps being replaced";
    return std::nullopt;
}

FolderLock::FolderLock(FolderLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

void FolderLock::release() noexcept {
    if (fd_ < 0) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);  // while still locked: a waiting writer then sees a new inode
    ::close(fd_);
    fd_ = -1;
}

}  // namespace cartsim::io
