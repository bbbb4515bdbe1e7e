// Package opportunity finds missed scale-downs as the pipeline runs: the
// intervals in which a group ran more instances than its demand needed,
// for at least its scale-in stabilisation window, written to the
// missed_opportunities table as schemas.Opportunity records.
//
// It is the live counterpart of stages/simulate's Opportunities, which
// finds the same intervals in a recorded history, and uses the same rules:
// an interval is a maximal run of consecutive steps with an excess, and it
// reports the smallest excess of its steps as removable.
package opportunity
