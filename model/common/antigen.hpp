#pragma once
// Named tumour antigens. BCMA is binned by density inside each clone; the others enter through each
// clone's lognormal density distribution.

#include <array>
#include <cstddef>
#include <utility>

#include "model/common/describe.hpp"

namespace cartsim {

enum class Antigen { Bcma, Gprc5d, Fcrh5, Cd38, Count };
inline constexpr std::size_t kAntigenCount = static_cast<std::size_t>(Antigen::Count);

template <>
struct EnumNames<Antigen> {
    static constexpr std::array items{std::pair{Antigen::Bcma, "BCMA"}, std::pair{Antigen::Gprc5d, "GPRC5D"},
                                      std::pair{Antigen::Fcrh5, "FcRH5"}, std::pair{Antigen::Cd38, "CD38"}};
};

constexpr std::size_t index(Antigen a) { return static_cast<std::size_t>(a); }

/// An array indexed by antigen, so no bare integer indices leak into the model.
template <class T>
struct PerAntigen {
    std::array<T, kAntigenCount> values{};
    constexpr T& operator[](Antigen a) { return values[index(a)]; }
    constexpr const T& operator[](Antigen a) const { return values[index(a)]; }
};

inline constexpr std::array<Antigen, kAntigenCount> kAllAntigens{Antigen::Bcma, Antigen::Gprc5d, Antigen::Fcrh5,
                                                                 Antigen::Cd38};

}  // namespace cartsim
