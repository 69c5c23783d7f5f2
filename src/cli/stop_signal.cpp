#include "src/cli/stop_signal.hpp"

#include <csignal>

namespace cartsim::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int signal) {
    g_signal = signal;
    g_stop = true;
}

}  // namespace

const std::atomic<bool>& stop_requested() { return g_stop; }
int stop_signal() { return g_signal.load(); }

StopSignalGuard::StopSignalGuard()
    : previous_int_(std::signal(SIGINT, on_stop_signal)), previous_term_(std::signal(SIGTERM, on_stop_signal)) {}

StopSignalGuard::~StopSignalGuard() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
}

}  // namespace cartsim::cli
