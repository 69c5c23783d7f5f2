#pragma once
// Errors found while loading a scenario, and the Result type every config function returns.
//
// Library code never prints or exits: it returns every problem it found, each with the file, line and
// key path, so the caller can report them all at once.

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cartsim::config {

/// Where a YAML node came from. Lines and columns are 1-based; line 0 means "not from a file line",
/// e.g. a `--set` override, whose `file` then holds the whole override text ("--set a.b=1").
struct Origin {
    std::string file;
    int line = 0;
    int column = 0;
};

struct ConfigError {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key_path;  // e.g. "patient.tumour.clones[bcma_neg].fraction"; empty for file-level errors
    std::string message;

    /// "scenario.yaml:12:5: patient.tumour.growth_rate_per_day: expected a number, got 'fast'".
    /// Overrides (line 0) print "--set <text>: <message>", adding the key path only when the override
    /// text does not already spell it.
    std::string format() const;
};

ConfigError make_error(const Origin& origin, std::string key_path, std::string message);

/// One formatted error per line.
std::string format_errors(const std::vector<ConfigError>& errors);

/// A legal but implausible value (far outside its plausible range, see model/common/describe.hpp):
/// reported, never fatal. Same origin fields as ConfigError.
struct ConfigWarning {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key_path;
    std::string message;  // what follows "key.path = ": "450 CAR+ cells is far below ..."

    /// "scenario.yaml:14:21: warning: regimen[cart].therapies[ide-cel].dose_cells = 450 CAR+ cells is far
    /// below the plausible range 2e7-1e9 CAR+ cells (...)"; an override prints "--set <text>: warning: ...".
    std::string format() const;
    bool operator==(const ConfigWarning&) const = default;
};

/// One formatted warning per line.
std::string format_warnings(const std::vector<ConfigWarning>& warnings);

/// Either a value or a non-empty list of errors.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(std::vector<ConfigError> errors) : state_(std::move(errors)) { assert(!std::get<1>(state_).empty()); }
    Result(ConfigError error) : state_(std::vector<ConfigError>{std::move(error)}) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// Empty when ok().
    const std::vector<ConfigError>& errors() const {
        static const std::vector<ConfigError> none;
        return ok() ? none : std::get<1>(state_);
    }

private:
    std::variant<T, std::vector<ConfigError>> state_;
};

}  // namespace cartsim::config
