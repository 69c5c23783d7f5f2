#pragma once
// Reads a whole file into memory (for small files: specs, page assets, options).

#include <filesystem>
#include <optional>
#include <string>

namespace cartsim::io {

/// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace cartsim::io
