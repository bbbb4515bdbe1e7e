package nab

import "fmt"

// Profile weighs true positives, false positives and false negatives, as
// NAB's application profiles (config/profiles.json) do.
type Profile struct {
	Name string  `json:"name"`
	TP   float64 `json:"tp_weight"`
	FP   float64 `json:"fp_weight"`
	FN   float64 `json:"fn_weight"`
}

// NAB's three profiles.
var (
	Standard    = Profile{Name: "standard", TP: 1, FP: 0.11, FN: 1}
	RewardLowFP = Profile{Name: "reward_low_FP_rate", TP: 1, FP: 0.22, FN: 1}
	RewardLowFN = Profile{Name: "reward_low_FN_rate", TP: 1, FP: 0.11, FN: 2}
)

// Profiles returns NAB's three profiles, standard first.
func Profiles() []Profile { return []Profile{Standard, RewardLowFP, RewardLowFN} }

// ProfileByName returns the profile called name: NAB's names, or the short
// forms "low_fp" and "low_fn".
func ProfileByName(name string) (Profile, error) {
	switch name {
	case Standard.Name:
		return Standard, nil
	case RewardLowFP.Name, "low_fp", "reward_low_fp":
		return RewardLowFP, nil
	case RewardLowFN.Name, "low_fn", "reward_low_fn":
		return RewardLowFN, nil
	}
	return Profile{}, fmt.Errorf("unknown nab profile %q, want standard, reward_low_FP_rate or reward_low_FN_rate", name)
}
