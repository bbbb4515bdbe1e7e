// Package report renders a simulate.Report as one self-contained HTML page
// (`scalora analyze --format html`, and the HTTP API's ?format=html).
//
// The page needs no network: the chart library (uPlot, MIT, vendored in
// uplot/ and embedded with go:embed), its stylesheet, the page's own
// script and the report itself (as JSON in a <script
// type="application/json"> block) are all inline. It draws three
// interactive charts (zoom by dragging, legend values on hover) and one
// table:
//
//   - CPU: measured, the one-step-ahead forecast, anomalous steps marked,
//     and at each scaling decision the forecast peak held across the
//     decision's horizon (forecast_peak, converted from instance units to
//     CPU percent of the measured group).
//   - Instances serving each step for the static, reactive and predictive
//     policies, the ideal bound and the demand.
//   - Cumulative cost of each policy.
//   - Summary: each policy's instance-hours, cost, savings against static,
//     under-provisioned and strained steps, and the acceptance checks.
//
// After drawing, the page's script sets data-rendered on <body> to the
// number of charts drawn (3), and data-errors to the number of script
// errors caught; the browser test reads both.
//
// What it does not do yet: the full forecast vector of each step is not in
// simulate.Report, so the horizon is shown only through each decision's
// forecast peak; very long traces (hundreds of thousands of steps) make a
// large page, since every step is embedded.
package report
