#pragma once
// A one-line progress indicator on stderr for long runs: done / total, rate and time left, redrawn
// at most 10 times per second by its own thread and erased when it goes out of scope.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace cartsim::cli {

class ProgressLine {
public:
    /// Draws nothing unless `enabled` (the caller decides, e.g. stdout is a terminal and not --quiet).
    ProgressLine(std::string what, int total, const std::atomic<int>& done, bool enabled);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

private:
    void loop();
    void draw();

    std::string what_;
    int total_;
    const std::atomic<int>& done_;
    std::chrono::steady_clock::time_point started_;
    std::size_t drawn_width_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

/// True when standard output is a terminal.
bool stdout_is_terminal();

}  // namespace cartsim::cli
