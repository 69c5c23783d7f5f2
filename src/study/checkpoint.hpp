#pragma once
// Finished rows of an interrupted study. While a study runs, each process (MPI rank) appends its rows
// to OUT/.patients.rank<R>.partial, one flushed line per finished unit, under the header of
// patients.csv; OUT/.study.partial names the study (a hash of what ran) so --resume refuses a folder
// holding a different study. A line cut short by a crash is dropped when the file is reopened.

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cartsim::study {

using UnitKey = std::pair<std::string, int>;  // (group name, patient)

std::filesystem::path partial_path(const std::filesystem::path& out, int rank);
std::vector<std::filesystem::path> partial_files(const std::filesystem::path& out);
std::filesystem::path identity_path(const std::filesystem::path& out);

/// A short fingerprint of a study (FNV-1a of the text, hex).
std::string fingerprint(const std::string& text);

/// Reads the finished units of every partial file. `group_column` is 1 for trials and cohorts (patient,
/// arm) and 0 for sweeps (point, patient). Throws std::runtime_error when a file's header differs.
std::set<UnitKey> finished_units(const std::filesystem::path& out, const std::string& header, bool sweep);

/// Appends rows to this rank's partial file, creating it with the header; drops a cut-short last line.
class PartialWriter {
public:
    PartialWriter(const std::filesystem::path& file, const std::string& header);
    ~PartialWriter();
    PartialWriter(const PartialWriter&) = delete;
    PartialWriter& operator=(const PartialWriter&) = delete;
    void write(const std::string& row);  // one line, flushed; throws std::runtime_error on failure

private:
    std::FILE* file_ = nullptr;
    std::filesystem::path path_;
};

/// Streams header + every row of the partial files into `target` (written to a temporary name and
/// renamed), then removes the partial files and the identity file.
void merge_partials(const std::filesystem::path& out, const std::string& header, const std::filesystem::path& target);

}  // namespace cartsim::study
