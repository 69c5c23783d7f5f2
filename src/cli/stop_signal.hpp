#pragma once
// Ctrl-C and SIGTERM during long commands (studies, calibration): the handler only raises a flag that
// the running work polls, so finished work is kept and the command can tell how to resume.

#include <atomic>

namespace cartsim::cli {

/// Raised by SIGINT or SIGTERM while a StopSignalGuard is alive.
const std::atomic<bool>& stop_requested();
/// The signal that raised the flag, or 0.
int stop_signal();

/// Installs the handlers for its lifetime and restores the previous ones after.
class StopSignalGuard {
public:
    StopSignalGuard();
    ~StopSignalGuard();
    StopSignalGuard(const StopSignalGuard&) = delete;
    StopSignalGuard& operator=(const StopSignalGuard&) = delete;

private:
    void (*previous_int_)(int);
    void (*previous_term_)(int);
};

}  // namespace cartsim::cli
