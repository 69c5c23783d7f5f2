#pragma once
// Finished rows of an interrupted study. While a study runs, each process (MPI rank) appends its rows
// to OUT/.patients.rank<R>.partial, one flushed line per finished unit, under the header of
// patients.csv; OUT/.study.partial names the study (a hash of what ran) so --resume refuses a folder
// holding a different study. A line cut short by a crash is dropped when the file is reopened.

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cartsim::io {
class OutputFile;
}

namespace cartsim::study {

using UnitKey = std::pair<std::string, int>;  // (group name, patient)

std::filesystem::path partial_path(const std::filesystem::path& out, int rank);
/// The partial files in `out` (none when it does not exist); throws io::IoError when the folder
/// cannot be listed, so that a listing error never looks like a folder with nothing finished.
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
    void write(const std::string& row);  // one line, written through; throws io::IoError with the cause

private:
    std::unique_ptr<io::OutputFile> file_;
    std::filesystem::path path_;
};

/// Writes header + every complete row of the partial files into `target` (to a temporary name, synced
/// and renamed) and returns the number of rows. The partial files stay until remove_partials (called
/// once everything else is written), so a study killed after the merge still resumes. On failure the
/// temporary is removed and io::IoError names the cause; a row count other than `expected_rows`
/// (when >= 0) is such a failure.
long merge_partials(const std::filesystem::path& out, const std::string& header, const std::filesystem::path& target,
                    long expected_rows = -1);

/// Removes the partial files and the identity file: the study in `out` is finished.
void remove_partials(const std::filesystem::path& out);

}  // namespace cartsim::study
