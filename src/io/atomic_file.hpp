#pragma once
// Files appear complete or not at all: content goes to a temporary name in the same folder and is
// renamed into place, so an interrupted run never leaves a half-written file that looks complete.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cartsim::io {

class IoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

void write_file_atomic(const std::filesystem::path& path, const std::string& content);

}  // namespace cartsim::io
