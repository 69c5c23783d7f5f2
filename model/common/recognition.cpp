#include "model/common/recognition.hpp"

#include <array>
#include <numbers>

namespace cartsim {

double mean_recognition_lognormal(const BinderAffinity& b, double median_molecules, double sigma_log) {
    if (median_molecules <= 0.0) return 0.0;
    if (sigma_log <= 0.0) return recognition(b, median_molecules);
    // 20-point Gauss-Hermite rule (physicists' weight exp(-x^2)); nodes symmetric, listed once.
    static constexpr std::array<double, 10> nodes{0.2453407083009012, 0.7374737285453944, 1.2340762153953231,
                                                  1.7385377121165861, 2.2549740020892757, 2.7888060584281305,
                                                  3.3478545673832163, 3.9447640401156252, 4.6036824495507442,
                                                  5.3874808900112328};
    static constexpr std::array<double, 10> weights{4.622436696006101e-01, 2.866755053628341e-01,
                                                    1.090172060200233e-01, 2.481052088746361e-02,
                                                    3.243773342237862e-03, 2.283386360163540e-04,
                                                    7.802556478532064e-06, 1.086069370769282e-07,
                                                    4.399340992273181e-10, 2.229393645534151e-13};
    double sum = 0.0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const double shift = std::numbers::sqrt2 * sigma_log * nodes[i];
        sum += weights[i] * (recognition(b, median_molecules * std::exp(shift)) +
                             recognition(b, median_molecules * std::exp(-shift)));
    }
    return sum / std::sqrt(std::numbers::pi);
}

}  // namespace cartsim
