#include "src/config/error.hpp"

#include <fmt/format.h>

namespace cartsim::config {

std::string ConfigError::format() const {
    std::string out = file;
    if (line > 0) {
        out += fmt::format(":{}", line);
        if (column > 0) out += fmt::format(":{}", column);
    }
    // An override's text already names the key it sets; repeating it would only add noise.
    const bool path_already_shown =
        line == 0 && !key_path.empty() && file.find(" " + key_path + "=") != std::string::npos;
    if (!key_path.empty() && !path_already_shown) out += out.empty() ? key_path : ": " + key_path;
    out += out.empty() ? message : ": " + message;
    return out;
}

ConfigError make_error(const Origin& origin, std::string key_path, std::string message) {
    return ConfigError{origin.file, origin.line, origin.column, std::move(key_path), std::move(message)};
}

std::string format_errors(const std::vector<ConfigError>& errors) {
    std::string out;
    for (const auto& error : errors) {
        out += error.format();
        out += '\n';
    }
    return out;
}

std::string ConfigWarning::format() const {
    std::string out = file;
    if (line > 0) {
        out += fmt::format(":{}", line);
        if (column > 0) out += fmt::format(":{}", column);
    }
    out += out.empty() ? "warning: " : ": warning: ";
    return out + key_path + " = " + message;
}

std::string format_warnings(const std::vector<ConfigWarning>& warnings) {
    std::string out;
    for (const auto& warning : warnings) {
        out += warning.format();
        out += '\n';
    }
    return out;
}

}  // namespace cartsim::config
