// Package simulate replays a group's CPU trace through the pipeline's own
// stages and compares three scaling policies side by side, and finds the
// scale-downs a history missed. It backs `scalora analyze`.
//
// # Workload
//
// A trace is read as the average CPU of a group running Instances
// instances (GroupConfig.Instances, default 10): a step's demand is
// Instances × CPU / 100 instance units, with CPU clipped to [0, 100] as the
// decision stage clips it. The trace is placed on its own step (InferStep,
// FromSeries); steps without a reading repeat the step before.
//
// # Policies
//
//   - static runs Instances at every step.
//   - reactive is a threshold autoscaler (ReactiveConfig): out after 3
//     steps above 70 % utilisation, in after 10 steps below 30 %, sized to
//     the target utilisation, at most MaxScaleInStep removed at once.
//   - predictive is Scalora: Replay runs the window, forecast (the default
//     LSTM unless Config.Model says otherwise), anomaly, decision and cost
//     stages, as the pipeline's processor chains them, and the decision of
//     each step is the predictive policy's order for the next.
//   - ideal is not a policy but a bound: exactly what each step needs at
//     the target utilisation, with no delay.
//
// Two more bounds explain a missed target (Acceptance): the Oracle runs the
// decision stage with a perfect forecast, which is what Scalora's rules
// (boot lead, stabilisation, step limit) save when the forecast is right (a
// forecast that misses nothing keeps no reserve for misses, so the reserve
// the predictive policy keeps is part of what its forecast costs);
// Lagged sizes each step from the demand a boot time earlier plus the
// smallest fixed reserve, chosen in hindsight, that keeps within the
// under-provisioning target, which is what covering the trace's rises
// costs without foreseeing them.
//
// Both autoscalers order at the end of a step from data up to that step.
// Scale-in counts from the next step; added instances count only from the
// first step that starts after they booted (see Predictive), for both: the
// decision stage leads by the boot time so that its capacity is there when
// the forecast says it is needed, and the simulation holds it to that.
//
// Each policy is measured (Outcome) by instance-hours, cost,
// under-provisioned steps (demand > running) and strained steps (demand >
// running × target utilisation), and the predictive one is judged against
// the acceptance targets of issue 6 (Accept), saying why when a trace makes
// a target impossible.
//
// # JSON report
//
// Report is the document `scalora analyze --format json` prints. Field
// names are stable; times are RFC 3339 UTC, money is USD, demand is in
// instance units (instances × CPU / 100), percentages are 0-100.
//
//	trace            name of the trace (file name without extension)
//	format_detected  export shape it was read as (nab_csv, cloudwatch_csv, ...)
//	start            start of the first step
//	step_seconds     step of the analysis
//	steps            number of steps; filled_steps those without a reading
//	model            forecast model name, as the forecasts carry it (the
//	                 LSTM's with "+blend": see forecast.Config.Blend)
//	group            name, provider, region, instance_type, price_per_hour
//	                 (one instance), instances (static count, and the count
//	                 the CPU was measured on), min_instances, max_instances,
//	                 target_utilization (0-1), boot_seconds,
//	                 scale_in_stabilization_seconds, max_scale_in_step,
//	                 headroom_quantile, headroom_window_seconds
//	reactive         out_above, out_steps, in_below, in_steps
//	series[]         one per step: ts, cpu (percent as measured), filled,
//	                 demand, predicted_cpu (forecast for this step made when
//	                 the step before closed; null on the first step),
//	                 forecast_ready (that forecast came from the model, not
//	                 the last-value fallback), anomaly_score, anomalous,
//	                 action and target (the decision made when this step
//	                 closed), running_static, running_reactive,
//	                 running_predictive, running_ideal (instances serving
//	                 this step)
//	anomalies[]      anomalous windows only, as schemas.Anomaly: host, group,
//	                 ts, score, anomalous, kind, explanation
//	decisions[]      scale_up and scale_down decisions only, as
//	                 schemas.Decision: group, ts, action, current, target,
//	                 demand_now, forecast_peak, horizon_steps, model, mode,
//	                 reason; model names the forecast record the decision
//	                 came from ("+blend"), though capacity is sized from
//	                 that record's model values (schemas.Forecast)
//	pipeline_cost    static_usd, decided_usd, savings_usd: the cost stage's
//	                 sums, each decision's target priced for one step
//	opportunities[]  missed scale-downs of the history (static count):
//	                 start, end (exclusive), steps, max_running, max_needed,
//	                 removable, instance_hours, cost_usd
//	simulation[]     policies static, reactive, predictive, ideal: policy,
//	                 instance_hours, cost_usd, steps,
//	                 under_provisioned_steps, under_provisioned_pct,
//	                 strained_steps, strained_pct, scale_outs, scale_ins
//	acceptance       met, saved_pct, ideal_saved_pct, oracle_saved_pct,
//	                 oracle_cost_usd, sudden_rise_pct, sudden_steps,
//	                 sudden_under_steps, lagged_reserve, lagged_saved_pct,
//	                 checks[] of name, met, cause (missed checks only:
//	                 ideal_bound, rules_bound, unforeseen_rises,
//	                 reactive_headroom, reactive_underprovisions, tie,
//	                 forecast; see the Cause constants), detail
//
// By hand: a policy's instance_hours is Σ running_<policy> × step_seconds
// / 3600 over series, cost_usd that times group.price_per_hour, and
// under_provisioned_steps counts the steps with demand > running_<policy>.
//
// What it does not do yet: instances are counted for whole steps only (an
// instance ready mid-step serves from the next step); the reactive policy
// has no cooldown beyond restarting its counts; the history of
// Opportunities is the static count, since a trace does not record the
// running count; one trace is one host, so the decision stage's averaging
// over hosts is not exercised. The two bounds are bounds of their own
// kind, not of every policy: the Oracle is the decision stage's greedy
// rules with a perfect forecast, not a proven cheapest schedule under those
// rules (and the predictive policy can save more than it by running short);
// Lagged is one family of policies without foresight (last usable demand
// plus a fixed reserve), and one that sizes from a longer past may cover
// the same rises for less.
package simulate
