#pragma once
// A file written through the operating system's own calls, so that every failure carries its cause
// (errno: "No space left on device", "Permission denied", ...) and a test can inject one. Streams
// (std::ofstream, stdio) lose the cause or keep it only by accident.

#include <filesystem>
#include <string>
#include <string_view>

namespace cartsim::io {

class OutputFile {
public:
    enum class Mode { Truncate, Append };
    /// Opens (creating with mode 0644 less the umask); throws IoError naming the file and the cause.
    /// Errors name `shown_as` when given (the file a temporary will become).
    OutputFile(const std::filesystem::path& path, Mode mode, const std::filesystem::path& shown_as = {});
    ~OutputFile();  // closes quietly; call close() to learn of a failure
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    void write(std::string_view bytes);  // all of them, or IoError
    void sync();                         // fsync: the bytes are on disk, or IoError
    void close();                        // IoError when the last bytes could not be written
    const std::filesystem::path& path() const { return path_; }

private:
    int fd_ = -1;
    std::filesystem::path path_;
    std::filesystem::path shown_as_;
};

}  // namespace cartsim::io
