#pragma once
// One writer per output folder: a run holds an exclusive lock on OUT/.cartsim.lock (flock) from before
// it writes its first file to after its last, and a second cartsim writing the same folder is refused
// at once instead of interleaving its files with the first's. The lock file is removed on release.

#include <filesystem>
#include <optional>
#include <string>

namespace cartsim::io {

class FolderLock {
public:
    /// Locks `folder` (created if missing). Null, with the reason in `why`, when another process holds it
    /// or the lock cannot be taken.
    static std::optional<FolderLock> acquire(const std::filesystem::path& folder, std::string& why);
    FolderLock(FolderLock&& other) noexcept;
    FolderLock& operator=(FolderLock&& other) noexcept;
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;
    ~FolderLock() { release(); }

private:
    void release() noexcept;
    FolderLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
    std::filesystem::path path_;
    int fd_ = -1;
};

}  // namespace cartsim::io
