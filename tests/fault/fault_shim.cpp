// Injects file-system faults into a process through LD_PRELOAD, for tests that cannot make a real full
// disk or a failing folder (CI runs as root in a container: no mounts, permissions prove nothing).
//
//   CARTSIM_FAULT_NOSPACE=TEXT        write()/writev() to a file whose path contains TEXT fail with
//                                     ENOSPC ("No space left on device") ...
//   CARTSIM_FAULT_NOSPACE_AFTER=N     ... once N bytes have gone to such files in this process (default 0)
//   CARTSIM_FAULT_LISTING=TEXT        opendir()/fdopendir() of a folder whose path contains TEXT fail
//                                     with EIO ("Input/output error")
//
// Unset variables inject nothing. Only calls that reach the C library through its exported names are
// seen (the program's own calls and the C++ library's), which is how cartsim writes its files.

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dirent.h>
#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

std::atomic<long long> bytes_to_matching_files{0};

std::string fd_path(int fd) {
    char link[64];
    char target[4096];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

bool matches(const char* variable, const std::string& path) {
    const char* text = std::getenv(variable);
    return text && *text && path.find(text) != std::string::npos;
}

/// True when a write of `size` bytes to fd must fail with ENOSPC.
bool out_of_space(int fd, std::size_t size) {
    if (!std::getenv("CARTSIM_FAULT_NOSPACE") || !matches("CARTSIM_FAULT_NOSPACE", fd_path(fd))) return false;
    const char* after = std::getenv("CARTSIM_FAULT_NOSPACE_AFTER");
    const long long budget = after ? std::atoll(after) : 0;
    const long long before = bytes_to_matching_files.fetch_add(static_cast<long long>(size));
    return before + static_cast<long long>(size) > budget;
}

template <typename F>
F next(const char* name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buffer, size_t size) {
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    if (out_of_space(fd, size)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buffer, size);
}

ssize_t writev(int fd, const struct iovec* vectors, int count) {
    static const auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
    std::size_t size = 0;
    for (int i = 0; i < count; ++i) size += vectors[i].iov_len;
    if (out_of_space(fd, size)) {
        errno = ENOSPC;
        return -1;
    }
    return real(fd, vectors, count);
}

DIR* opendir(const char* name) {
    static const auto real = next<DIR* (*)(const char*)>("opendir");
    if (name && matches("CARTSIM_FAULT_LISTING", name)) {
        errno = EIO;
        return nullptr;
    }
    return real(name);
}

DIR* fdopendir(int fd) {
    static const auto real = next<DIR* (*)(int)>("fdopendir");
    if (matches("CARTSIM_FAULT_LISTING", fd_path(fd))) {
        errno = EIO;
        return nullptr;
    }
    return real(fd);
}

}  // extern "C"
