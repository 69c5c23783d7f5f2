#pragma once
// Coefficients of the 4th-order Rosenbrock method with embedded 3rd-order error estimate and
// continuous output: RODAS, method 1 of Hairer and Wanner (rodas.f; "Solving ODEs II", section IV.7),
// the set Boost.Odeint's rosenbrock4 uses. d4 has Hairer's sign (-0.0362): odeint 1.74 has +0.0362,
// which only matters for non-autonomous problems (the df/dt term) but there costs two orders of
// magnitude in accuracy and steps (see tests/solvers/ode/integrator_stiff_test.cpp).

namespace cartsim::ode::detail::rodas {

inline constexpr double gamma = 0.25;
inline constexpr double d1 = 0.25;
inline constexpr double d2 = -0.1043;
inline constexpr double d3 = 0.1035;
inline constexpr double d4 = -0.3620000000000023e-01;
inline constexpr double c2 = 0.386;
inline constexpr double c3 = 0.21;
inline constexpr double c4 = 0.63;
inline constexpr double c21 = -0.5668800000000000e+01;
inline constexpr double a21 = 0.1544000000000000e+01;
inline constexpr double c31 = -0.2430093356833875e+01;
inline constexpr double c32 = -0.2063599157091915e+00;
inline constexpr double a31 = 0.9466785280815826e+00;
inline constexpr double a32 = 0.2557011698983284e+00;
inline constexpr double c41 = -0.1073529058151375e+00;
inline constexpr double c42 = -0.9594562251023355e+01;
inline constexpr double c43 = -0.2047028614809616e+02;
inline constexpr double a41 = 0.3314825187068521e+01;
inline constexpr double a42 = 0.2896124015972201e+01;
inline constexpr double a43 = 0.9986419139977817e+00;
inline constexpr double c51 = 0.7496443313967647e+01;
inline constexpr double c52 = -0.1024680431464352e+02;
inline constexpr double c53 = -0.3399990352819905e+02;
inline constexpr double c54 = 0.1170890893206160e+02;
inline constexpr double a51 = 0.1221224509226641e+01;
inline constexpr double a52 = 0.6019134481288629e+01;
inline constexpr double a53 = 0.1253708332932087e+02;
inline constexpr double a54 = -0.6878860361058950e+00;
inline constexpr double c61 = 0.8083246795921522e+01;
inline constexpr double c62 = -0.7981132988064893e+01;
inline constexpr double c63 = -0.3152159432874371e+02;
inline constexpr double c64 = 0.1631930543123136e+02;
inline constexpr double c65 = -0.6058818238834054e+01;
// Dense output: x(t_old + s h) = x_old (1 - s) + s (x_new + (1 - s) (cont3 + s cont4)).
inline constexpr double d21 = 0.1012623508344586e+02;
inline constexpr double d22 = -0.7487995877610167e+01;
inline constexpr double d23 = -0.3480091861555747e+02;
inline constexpr double d24 = -0.7992771707568823e+01;
inline constexpr double d25 = 0.1025137723295662e+01;
inline constexpr double d31 = -0.6762803392801253e+00;
inline constexpr double d32 = 0.6087714651680015e+01;
inline constexpr double d33 = 0.1643084320892478e+02;
inline constexpr double d34 = 0.2476722511418386e+02;
inline constexpr double d35 = -0.6594389125716872e+01;

}  // namespace cartsim::ode::detail::rodas
