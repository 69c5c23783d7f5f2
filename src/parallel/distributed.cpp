#include "src/parallel/distributed.hpp"

#include <cstdlib>

#ifdef CARTSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace cartsim::parallel {
#ifdef CARTSIM_HAVE_MPI
namespace {

bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
        if (std::getenv(name)) return true;
    return false;
}

}  // namespace
#endif

Distributed::Distributed() {
#ifdef CARTSIM_HAVE_MPI
    if (!launched_by_mpi()) return;
    int provided = 0;
    // Only the main thread calls MPI; oneTBB threads never do.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    started_ = true;
#endif
}

Distributed::~Distributed() {
#ifdef CARTSIM_HAVE_MPI
    if (started_) MPI_Finalize();
#endif
}

void Distributed::barrier() const {
#ifdef CARTSIM_HAVE_MPI
    if (started_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

bool Distributed::any(bool value) const {
#ifdef CARTSIM_HAVE_MPI
    if (started_) {
        int local = value ? 1 : 0, global = 0;
        MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return global != 0;
    }
#endif
    return value;
}

long Distributed::sum(long value) const {
#ifdef CARTSIM_HAVE_MPI
    if (started_) {
        long global = 0;
        MPI_Allreduce(&value, &global, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        return global;
    }
#endif
    return value;
}

void Distributed::abort(int code) const {
#ifdef CARTSIM_HAVE_MPI
    if (started_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::exit(code);
}

bool Distributed::built_with_mpi() {
#ifdef CARTSIM_HAVE_MPI
    return true;
#else
    return false;
#endif
}

std::string Distributed::library() {
#ifdef CARTSIM_HAVE_MPI
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<std::size_t>(length));
    const auto comma = text.find(',');
    return comma == std::string::npos ? text : text.substr(0, comma);
#else
    return "none";
#endif
}

}  // namespace cartsim::parallel
