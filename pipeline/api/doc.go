// Package api is Scalora's HTTP API under /v1: posting samples, analysing
// an uploaded trace, the live status of hosts and groups, group
// configuration, the price catalog and the savings report, with its
// OpenAPI document at /openapi.json (openapi.json, embedded).
//
// Every /v1 route needs a bearer API key (see Config.Keys). Errors are RFC
// 9457 problem details. Request bodies are capped, requests time out and
// analyses run at most Config.MaxConcurrentAnalyses at a time; past a limit
// the answer is 413 or 429, never a crash.
//
// PUT /v1/groups/{group}/config validates and prices the configuration,
// writes it atomically to Deps.GroupsDir/GROUP.json (DATA_DIR/groups in the
// process) and applies it to the running stages through Deps.ApplyGroup;
// LoadGroups lays the written files over a decision.Config when the
// process starts again.
package api
