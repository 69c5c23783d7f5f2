#pragma once
// Internal to solvers/ode: owning handles for the SUNDIALS objects the CVODE stepper holds, so that
// every way out of it (exceptions included) frees them. Declare them in this order in a class (context
// first, CVODE memory last): members are destroyed in reverse, and each object outlives its users.

#include <memory>
#include <type_traits>

#include <cvode/cvode.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>
#include <sundials/sundials_nvector.h>

namespace cartsim::ode::detail {

struct SunContextFree {
    void operator()(SUNContext context) const { SUNContext_Free(&context); }
};
struct NVectorFree {
    void operator()(N_Vector vector) const { N_VDestroy(vector); }
};
struct SunMatrixFree {
    void operator()(SUNMatrix matrix) const { SUNMatDestroy(matrix); }
};
struct SunLinearSolverFree {
    void operator()(SUNLinearSolver solver) const { SUNLinSolFree(solver); }
};
struct CvodeFree {
    void operator()(void* memory) const { CVodeFree(&memory); }
};

using SunContextHandle = std::unique_ptr<std::remove_pointer_t<SUNContext>, SunContextFree>;
using NVectorHandle = std::unique_ptr<std::remove_pointer_t<N_Vector>, NVectorFree>;
using SunMatrixHandle = std::unique_ptr<std::remove_pointer_t<SUNMatrix>, SunMatrixFree>;
using SunLinearSolverHandle = std::unique_ptr<std::remove_pointer_t<SUNLinearSolver>, SunLinearSolverFree>;
using CvodeHandle = std::unique_ptr<void, CvodeFree>;

}  // namespace cartsim::ode::detail
