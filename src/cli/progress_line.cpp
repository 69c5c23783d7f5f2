#include "src/cli/progress_line.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace cartsim::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);  // at most 10 redraws per second

std::string duration_text(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    if (s < 60) return fmt::format("{} s", s);
    if (s < 3600) return fmt::format("{}:{:02d} min", s / 60, s % 60);
    return fmt::format("{}:{:02d} h", s / 3600, (s % 3600) / 60);
}

}  // namespace

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

ProgressLine::ProgressLine(std::string what, int total, const std::atomic<int>& done, bool enabled)
    : what_(std::move(what)), total_(total), done_(done), started_(std::chrono::steady_clock::now()) {
    if (enabled) thread_ = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    std::fprintf(stderr, "\r%s\r", std::string(drawn_width_, ' ').c_str());
    std::fflush(stderr);
}

void ProgressLine::loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kRedrawInterval, [this] { return stop_; })) draw();
}

void ProgressLine::draw() {
    const int done = done_.load(std::memory_order_relaxed);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::string line = fmt::format("{} {}/{}", what_, done, total_);
    if (done > 0 && elapsed > 0.0) {
        const double rate = done / elapsed;
        line += fmt::format("  {:.1f}/s  about {} left", rate, duration_text((total_ - done) / rate));
    }
    const std::size_t width = line.size();
    if (width < drawn_width_) line += std::string(drawn_width_ - width, ' ');
    drawn_width_ = std::max(drawn_width_, width);
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
}

}  // namespace cartsim::cli
