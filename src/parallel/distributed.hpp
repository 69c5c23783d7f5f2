#pragma once
// The processes of one run. Under mpirun (with an MPI build) there is one per rank and studies split
// their units across them; otherwise a single process of rank 0. MPI is started only when the
// process was launched by an MPI launcher, so a plain `cartsim run` never pays for it.

#include <string>

namespace cartsim::parallel {

class Distributed {
public:
    Distributed();
    ~Distributed();
    Distributed(const Distributed&) = delete;
    Distributed& operator=(const Distributed&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    bool root() const { return rank_ == 0; }
    void barrier() const;
    /// True on every rank when `value` is true on any rank.
    bool any(bool value) const;
    /// Sum over ranks.
    long sum(long value) const;
    /// Stops every rank (after an error on one of them).
    [[noreturn]] void abort(int code) const;

    /// "MPI (OpenMPI 4.1)" or "none" for manifests.
    static std::string library();
    static bool built_with_mpi();

private:
    int rank_ = 0;
    int size_ = 1;
    [[maybe_unused]] bool started_ = false;  // read only when built with MPI
};

}  // namespace cartsim::parallel
