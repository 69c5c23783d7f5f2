#pragma once
// Every mechanism of the model can be switched off for in-silico knock-out experiments.

#include "model/common/describe.hpp"

namespace cartsim::patient {

struct Mechanisms {
    bool antigen_loss = true;
    bool antigen_density_selection = true;
    bool phenotypic_drift = true;
    bool soluble_bcma = true;
    bool trogocytosis = true;
    bool april_support = true;
    bool macrophage_suppression = true;
    bool exhaustion = true;
    bool lymphodepletion_boost = true;
    bool immunogenicity = true;
    bool manufacturing_fitness = true;
    bool background_mortality = true;
};

template <class V>
void describe(Mechanisms& m, V& v) {
    v.field("antigen_loss", m.antigen_loss, FieldInfo{"", "MODEL.md", "BCMA and GPRC5D loss by mutation at division"});
    v.field("antigen_density_selection", m.antigen_density_selection,
            FieldInfo{"", "MODEL.md", "killing depends on each cell's density (off: on its clone's mean)"});
    v.field("phenotypic_drift", m.phenotypic_drift, FieldInfo{"", "MODEL.md", "drift between BCMA density bins"});
    v.field("soluble_bcma", m.soluble_bcma, FieldInfo{"", "MODEL.md", "shed BCMA acts as a decoy"});
    v.field("trogocytosis", m.trogocytosis,
            FieldInfo{"", "MODEL.md", "CAR-T strip BCMA from tumour cells and suffer fratricide"});
    v.field("april_support", m.april_support,
            FieldInfo{"", "MODEL.md", "APRIL from suppressive macrophages speeds growth of BCMA+ cells"});
    v.field("macrophage_suppression", m.macrophage_suppression,
            FieldInfo{"", "MODEL.md", "suppressive macrophages cut killing and speed exhaustion"});
    v.field("exhaustion", m.exhaustion, FieldInfo{"", "MODEL.md", "chronic stimulation exhausts CAR-T and T cells"});
    v.field("lymphodepletion_boost", m.lymphodepletion_boost,
            FieldInfo{"", "MODEL.md", "homeostatic cytokines after lymphodepletion expand CAR-T"});
    v.field("immunogenicity", m.immunogenicity, FieldInfo{"", "MODEL.md", "anti-CAR immunity shortens persistence"});
    v.field("manufacturing_fitness", m.manufacturing_fitness,
            FieldInfo{"", "MODEL.md", "T-cell fitness at apheresis shapes the CAR-T product"});
    v.field("background_mortality", m.background_mortality,
            FieldInfo{"", "assumed", "death from causes other than tumour burden"});
}

}  // namespace cartsim::patient
