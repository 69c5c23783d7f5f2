#pragma once
// Files appear complete or not at all: content goes to a temporary name in the same folder and is
// renamed into place, so an interrupted run never leaves a half-written file that looks complete.

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace cartsim::io {

class IoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The hidden temporary a file is written under before the rename: OUT/.NAME.tmp-PID.
std::filesystem::path temporary_name(const std::filesystem::path& path);

/// Writes, syncs and renames into place; on failure removes the temporary and throws IoError naming
/// the file and the cause (for example "No space left on device").
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

class OutputFile;
/// As above, with the content streamed: `fill` writes it in pieces (a large file is never held whole).
void write_file_atomic(const std::filesystem::path& path, const std::function<void(OutputFile&)>& fill);

}  // namespace cartsim::io
