#pragma once
// Small study files for the tests, written into a fresh temporary folder.

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace cartsim::study::testing {

/// A fresh folder under the system temporary folder, removed at the end of the test.
class TempFolder {
public:
    TempFolder() {
        std::random_device device;
        path_ = std::filesystem::temp_directory_path() / ("cartsim-study-test-" + std::to_string(device()));
        std::filesystem::create_directories(path_);
    }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name) << text;
        return (path_ / name).string();
    }

private:
    std::filesystem::path path_;
};

/// A two-arm trial over a small cohort; a short horizon keeps the runs fast.
inline const char* kTrial = R"(name: test-trial
horizon_days: 120
hybrid: {enabled: false}
cohort:
  size: 6
  seed: 3
  parameters:
    - path: patient.tumour.growth_rate_per_day
      distribution: lognormal
      median: 0.01
      cv: 0.4
    - path: patient.tumour.initial_cells
      distribution: log_uniform
      low: 1.0e11
      high: 1.0e12
arms:
  - name: car
    regimen:
      - {name: cart, start: 0, therapies: [{product: ide-cel}]}
  - name: none
    regimen: []
)";

}  // namespace cartsim::study::testing
